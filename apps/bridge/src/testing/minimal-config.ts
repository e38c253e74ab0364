/** The smallest config the bridge accepts: only the settings without a default. */
export const minimalConfig = {
  homeserver: { address: 'https://matrix.example.org', domain: 'example.org' },
  appservice: { address: 'http://localhost:29350', as_token: 'as-token-0123', hs_token: 'hs-token-4567' },
} as const;
