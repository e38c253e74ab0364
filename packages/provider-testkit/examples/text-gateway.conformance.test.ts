import { describeProviderConformance } from '@wechat/provider-testkit';
import { createTextGatewayHarness } from './text-gateway-harness.ts';
import { createTextGatewayProvider } from './text-gateway-provider.ts';

describeProviderConformance({
  // The descriptor the cases read capabilities from; each harness brings an instance wired to its simulator.
  provider: createTextGatewayProvider(() => {
    throw new Error('sessions come from the harness provider');
  }),
  createHarness: createTextGatewayHarness,
  invalidConfigs: [{}, { url: 'not a url', token: 't' }, { url: 'https://gateway.invalid/', token: '' }],
});
