// A bot tested against the fake WeCom: a member writes "ding" to the app, the bot answers "dong".
import { openSession } from '@wechat/provider-api';
import { createWecomProvider } from '@wechat/provider-wecom';
import { createCallbackSender, startFakeWecomServer } from '@wechat/provider-wecom/testing';
import { expect, it, vi } from 'vitest';

it('answers ding with dong', async () => {
  const wecom = await startFakeWecomServer(); // the WeCom API, on 127.0.0.1
  let callbackUrl = '';
  // With `callback.port: 0` the session picks a free port and reports its URL here.
  const provider = createWecomProvider({ onCallbackListening: address => (callbackUrl = address.url) });
  const callback = { port: 0, host: '127.0.0.1', token: 'callbackToken', aes_key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
  const session = openSession(provider, {
    config: { corp_id: wecom.corpId, app_secret: wecom.secret, agent_id: wecom.agentId, api_base_url: wecom.url, callback },
  });
  session.on('message-received', async ({ message }) => {
    if (!message.isSelf && message.content.kind === 'text' && message.content.text === 'ding') {
      await session.sendMessage({ to: message.chat, content: { kind: 'text', text: 'dong' } });
    }
  });
  try {
    await session.start();
    expect(session.state).toBe('connected');
    // WeCom's side of the callback: signed, encrypted, POSTed to the session's callback server.
    const members = createCallbackSender({
      url: callbackUrl,
      token: callback.token,
      aesKey: callback.aes_key,
      corpId: wecom.corpId,
    });
    await members.send({ type: 'text', from: 'zhangsan', content: 'ding' });
    await vi.waitFor(() =>
      expect(wecom.sentMessages()).toEqual([
        expect.objectContaining({ api: 'message/send', touser: 'zhangsan', msgtype: 'text', content: { content: 'dong' } }),
      ]),
    );
  } finally {
    await session.stop();
    await wecom.close();
  }
});
