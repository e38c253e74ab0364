import { describeProviderConformance } from '@wechat/provider-testkit';
import { wecomProvider } from '../wecom-provider.ts';
import { createWecomHarness } from './conformance-harness.ts';

const valid = { corp_id: 'ww1', app_secret: 'secret', agent_id: 1000002 };

// The whole kit against the fake WeCom API and signed, encrypted callbacks: a fresh fake per case.
describeProviderConformance({
  provider: wecomProvider,
  createHarness: createWecomHarness,
  invalidConfigs: [
    {},
    null,
    { ...valid, corp_id: '' },
    { ...valid, app_secret: '' },
    { ...valid, agent_id: 0 },
    { ...valid, agent_id: '1000002' },
    { ...valid, api_base_url: 'not a url' },
    { ...valid, callback: { token: 't', aes_key: 'short' } },
    { ...valid, callback: { token: '', aes_key: 'a'.repeat(43) } },
    { ...valid, callback: { port: -1, token: 't', aes_key: 'a'.repeat(43) } },
  ],
  skip: {
    'inbound › receives a text in a room':
      'WeCom sends an app no callback for what members write in an app group chat (reference A.3): only messages to the app itself arrive',
    'inbound › delivers each message exactly once':
      'the case delivers into a room, which WeCom cannot (reference A.3); exactly-once delivery of direct messages, retries included, is tested in wecom-session.test.ts and callback-server.test.ts',
  },
});
