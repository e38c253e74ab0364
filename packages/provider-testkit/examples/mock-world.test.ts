// Testing a bot against the mock world: no WeChat account, no network, the same result every run.
import type { ManagedSessionV1 } from '@wechat/provider-api';
import { createMockWorld } from '@wechat/provider-testkit';
import { describe, expect, it, vi } from 'vitest';

/** The bot under test: it answers "ding" with "dong", wherever it hears it. */
function startDingDongBot(session: ManagedSessionV1) {
  session.on('message-received', async ({ message }) => {
    if (!message.isSelf && message.content.kind === 'text' && message.content.text === 'ding') {
      await session.sendMessage({ to: message.chat, content: { kind: 'text', text: 'dong' } });
    }
  });
}

describe('the ding-dong bot', () => {
  it('logs in with a QR code and answers in a room', async () => {
    const world = createMockWorld();
    const session = world.openSession();
    startDingDongBot(session);

    await session.start();
    expect(session.state).toBe('awaiting-login');
    const login = await session.login!();
    let step = await login.start(); // { type: 'qr-code', data: 'https://mock.wechat.invalid/login/…' }
    world.completeLogin(); // the phone scans the code and confirms
    while (step.type !== 'complete') step = await login.next();
    expect(session.state).toBe('connected');

    await world.contact('bob').in('room-1').says('ding');
    await vi.waitFor(() =>
      expect(world.sent()).toEqual([
        { kind: 'text', text: 'dong', chat: { type: 'room', roomId: 'room-1' }, messageId: expect.any(String) },
      ]),
    );
    await session.stop();
  });

  it('keeps quiet about its own messages and survives a failed send', async () => {
    const world = createMockWorld();
    const session = world.openSession();
    startDingDongBot(session);
    await world.connectSession(session); // start + QR login in one call

    await world.self.to('alice').says('ding'); // typed on the phone: arrives with isSelf: true
    world.failNext('network');
    await world.contact('alice').says('ding'); // the answer fails once…
    await world.contact('alice').says('ding'); // …and works the next time
    await vi.waitFor(() => expect(world.sent()).toHaveLength(1));
    await session.stop();
  });
});
