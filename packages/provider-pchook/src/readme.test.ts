import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { pchookCapabilities } from './provider/pchook-capabilities.ts';
import { defaultPchookTimings } from './provider/pchook-session.ts';

const read = (relative: string) => readFile(new URL(relative, import.meta.url), 'utf8');

describe('README', () => {
  it('shows the simulator example exactly as it is tested', async () => {
    const readme = await read('../README.md');
    const block =
      /<!-- example:testing\/readme-example\.test -->\n```ts\n([\s\S]*?)```\n<!-- \/example:testing\/readme-example\.test -->/.exec(
        readme,
      );
    expect(block?.[1]).toBe(await read('./testing/readme-example.test.ts'));
  });

  it('states the defaults the code uses', async () => {
    const readme = await read('../README.md');
    expect(defaultPchookTimings).toMatchObject({ requestTimeoutMs: 5_000, heartbeatIntervalMs: 15_000, echoTimeoutMs: 3_000 });
    expect(defaultPchookTimings.backoff).toEqual({ initialMs: 500, maxMs: 30_000, factor: 2 });
    expect(readme).toContain('5 s timeout and one retry');
    expect(readme).toContain('FUNC_IS_LOGIN every 15 s');
    expect(readme).toContain('0.5 s doubling to\n  30 s');
    expect(readme).toContain('wait up to 3 s');
  });

  it('matches the capabilities it documents', () => {
    expect(pchookCapabilities.send).toEqual({
      text: 'full',
      image: 'full',
      file: 'full',
      sticker: 'full',
      link: 'full',
      voice: 'partial',
      video: 'partial',
    });
    expect(pchookCapabilities).toMatchObject({
      mentions: 'full',
      replies: 'none',
      recall: 'none',
      friendRequests: 'full',
      history: 'none',
      contacts: { list: 'full', setRemark: 'none' },
      rooms: { list: 'full', invite: 'full', remove: 'full', create: 'none', rename: 'none', setTopic: 'none', leave: 'none' },
    });
  });
});
