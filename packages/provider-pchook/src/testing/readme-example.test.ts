// The README's example for bot developers: a bot tested against the simulated WeChatFerry host.
import { openSession } from '@wechat/provider-api';
import { pchookProvider } from '@wechat/provider-pchook';
import { startWcfHostSimulator } from '@wechat/provider-pchook/testing';
import { expect, it } from 'vitest';

it('answers ding with dong', async () => {
  const host = await startWcfHostSimulator({ contacts: [{ wxid: 'wxid_alice', name: 'Alice' }] });
  const session = openSession(pchookProvider, {
    config: { rpc_endpoint: host.endpoint, shared_dir: host.sharedDir, windows_dir: host.windowsDir },
  });
  session.on('message-received', async ({ message }) => {
    if (!message.isSelf && message.content.kind === 'text' && message.content.text === 'ding') {
      await session.sendMessage({ to: message.chat, content: { kind: 'text', text: 'dong' } });
    }
  });
  try {
    await session.start();
    await expect.poll(() => session.state).toBe('connected');

    await host.pushText({ sender: 'wxid_alice', content: 'ding' });
    await expect
      .poll(() => host.sent())
      .toEqual([{ kind: 'text', receiver: 'wxid_alice', text: 'dong', aters: [], id: expect.any(String) }]);
  } finally {
    await session.stop();
    await host.close();
  }
});
