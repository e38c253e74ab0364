import { describeProviderConformance } from '../runner/describe-provider-conformance.ts';
import { createRemoteMockHarness } from './remote-mock-harness.ts';
import { remoteMockProvider } from './remote-mock-provider.ts';

// The whole kit, every case through HTTP and SSE: a fresh world and server per case.
describeProviderConformance({
  provider: remoteMockProvider,
  createHarness: () => createRemoteMockHarness(),
  invalidConfigs: [
    {},
    null,
    { url: 'http://127.0.0.1:1' },
    { url: 'not a url', token: 't' },
    { url: 'ftp://127.0.0.1/', token: 't' },
    { url: 'http://127.0.0.1:1', token: '' },
    { url: 'http://127.0.0.1:1', token: 'line\nbreak' },
    { url: 'http://127.0.0.1:1', token: 't', session_key: '' },
  ],
});
