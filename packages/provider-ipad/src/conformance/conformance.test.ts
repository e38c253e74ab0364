import { describeProviderConformance } from '@wechat/provider-testkit';
import { ipadProvider } from '../ipad-provider.ts';
import { createIpadHarness } from './ipad-harness.ts';

describeProviderConformance({
  provider: ipadProvider,
  createHarness: () => createIpadHarness(),
  invalidConfigs: [
    {},
    { api_endpoint: 'not a url', callback_url: 'http://bridge:29352/callback' },
    { api_endpoint: 'http://gewe:2531/v2/api' },
    { api_endpoint: 'http://gewe:2531/v2/api', callback_url: 'http://bridge/cb', callback_port: 70_000 },
    { api_endpoint: 'http://gewe:2531/v2/api', callback_url: 'http://bridge/cb', risk_control: { max_messages_per_day: -1 } },
  ],
  skip: {
    'errors › rate limiting rejects with WechatRateLimitedError':
      'GeWeChat has no rate-limit answer (every failure is ret 500 with free text); our own limits are risk control, tested in risk-control.test.ts',
    'messaging › sends voice':
      "the provider converts Ogg Opus to SILK, so the kit's sample (an Ogg header and random bytes) is refused as undecodable; real voice is tested in ipad-voice.test.ts",
  },
  timeoutMs: 15_000,
});
