// matrix-bot-sdk requires @matrix-org/matrix-sdk-crypto-nodejs when it is imported, even when encryption is
// never used. The real package fetches a native binary from GitHub in a postinstall script, which cannot work
// on machines that reach only the npm registry (nor on air-gapped hosts). pnpm `overrides` point the name at
// this module instead: importing succeeds, and any attempt to actually use end-to-end encryption fails loudly
// with what to do, instead of failing at start-up or silently.
'use strict';

const message =
  'End-to-end encryption is not available in this build of the WeChat bridge: the native ' +
  '@matrix-org/matrix-sdk-crypto-nodejs binary is replaced by a stub. Set bridge.encryption.allow: false, ' +
  'or keep portals unencrypted.';

function unavailable() {
  throw new Error(message);
}

module.exports = new Proxy(
  { __esModule: false, unavailableMessage: message },
  {
    get(target, property) {
      if (property in target || typeof property === 'symbol' || property === 'then') return target[property];
      // Class and enum lookups happen lazily inside bot-sdk's crypto code paths; each one ends here.
      return new Proxy(unavailable, { construct: unavailable, apply: unavailable, get: unavailable });
    },
  },
);
