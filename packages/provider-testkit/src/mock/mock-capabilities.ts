import type { MessageKindV1, ProviderCapabilitiesV1, SupportLevelV1 } from '@wechat/provider-api';

type Levels = Readonly<Partial<Record<MessageKindV1, SupportLevelV1>>>;

/** Everything `full`: interactive QR login, every kind both ways (`system` inbound only), every optional method. */
export const mockFullCapabilities: ProviderCapabilitiesV1 = {
  login: 'interactive',
  multipleSessions: true,
  send: {
    text: 'full',
    image: 'full',
    file: 'full',
    voice: 'full',
    video: 'full',
    sticker: 'full',
    link: 'full',
    location: 'full',
    'contact-card': 'full',
    'mini-program': 'full',
  },
  receive: {
    text: 'full',
    image: 'full',
    file: 'full',
    voice: 'full',
    video: 'full',
    sticker: 'full',
    link: 'full',
    location: 'full',
    'contact-card': 'full',
    'mini-program': 'full',
    system: 'full',
  },
  mentions: 'full',
  replies: 'full',
  recall: 'full',
  contacts: { list: 'full', setRemark: 'full' },
  rooms: { list: 'full', create: 'full', invite: 'full', remove: 'full', rename: 'full', setTopic: 'full', leave: 'full' },
  friendRequests: 'full',
  history: 'full',
};

/**
 * Changes to the full capabilities, e.g. `{ send: { voice: 'none' }, recall: 'none', login: 'credentials' }`. The
 * mock session honours them: a kind at `none` throws `WechatUnsupportedCapabilityError`, `partial` adds a
 * warning, and optional methods whose capability is `none` are absent.
 */
export interface MockCapabilitiesOverride {
  readonly login?: ProviderCapabilitiesV1['login'];
  readonly multipleSessions?: boolean;
  readonly send?: Levels;
  readonly receive?: Levels;
  readonly mentions?: SupportLevelV1;
  readonly replies?: SupportLevelV1;
  readonly recall?: SupportLevelV1;
  readonly contacts?: Partial<ProviderCapabilitiesV1['contacts']>;
  readonly rooms?: Partial<ProviderCapabilitiesV1['rooms']>;
  readonly friendRequests?: SupportLevelV1;
  readonly history?: SupportLevelV1;
  readonly limits?: ProviderCapabilitiesV1['limits'];
}

export function mockCapabilities(override: MockCapabilitiesOverride = {}): ProviderCapabilitiesV1 {
  const full = mockFullCapabilities;
  return {
    ...full,
    ...override,
    send: { ...full.send, ...override.send },
    receive: { ...full.receive, ...override.receive },
    contacts: { ...full.contacts, ...override.contacts },
    rooms: { ...full.rooms, ...override.rooms },
  };
}
