import { noopLogger } from '@wechat/provider-api';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWcfClient, type WcfClient } from '../client/wcf-client.ts';
import { wcfFunctions as F } from '../protocol/wcf-functions.ts';
import type { WxMsg } from '../protocol/wcf-messages.ts';
import { startWcfHostSimulator, type WcfHostSimulator } from './wcf-host-simulator.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  options: Parameters<typeof startWcfHostSimulator>[0] = {},
): Promise<{ host: WcfHostSimulator; wcf: WcfClient }> {
  const host = await startWcfHostSimulator({ pushTimeoutMs: 100, ...options });
  cleanups.push(() => host.close());
  const wcf = await connectWcfClient({ host: '127.0.0.1', port: host.port, logger: noopLogger });
  cleanups.push(() => wcf.close());
  return { host, wcf };
}

describe('the WeChatFerry host simulator', () => {
  it('answers as the real host: zero-length for unknown functions, empty contact info, -1 for revoke', async () => {
    const { wcf, host } = await setup();
    await expect(wcf.call({ func: F.FUNC_RESERVED })).rejects.toMatchObject({ remoteCode: 'dispatch-failed' });
    await expect(wcf.call({ func: F.FUNC_GET_CONTACT_INFO, str: 'wxid_a' })).resolves.toMatchObject({
      contacts: { contacts: [expect.objectContaining({ wxid: '', name: '' })] },
    });
    await expect(wcf.call({ func: F.FUNC_REVOKE_MSG, ui64: '1' })).resolves.toMatchObject({ status: -1 });
    expect(host.requests().map(request => request.name)).toEqual(['FUNC_RESERVED', 'FUNC_GET_CONTACT_INFO', 'FUNC_REVOKE_MSG']);
  });

  it('shows the QR code only while logged out', async () => {
    const { wcf, host } = await setup({ loggedIn: false });
    await expect(wcf.refreshQrcode()).resolves.toBe(host.qrCodeUrl);
    expect(host.qrCodeUrl).toMatch(/^http:\/\/weixin\.qq\.com\/x\//);
    await expect(wcf.isLogin()).resolves.toBe(false);
    host.setLoggedIn(true);
    await expect(wcf.refreshQrcode()).resolves.toBe('');
    await expect(wcf.getSelfWxid()).resolves.toBe('wxid_self');
  });

  it('answers 0 to a send whose file is not on the host, and records it as undelivered', async () => {
    const { wcf, host } = await setup();
    await expect(wcf.sendImage('wxid_a', 'D:\\elsewhere\\a.png')).resolves.toBeUndefined();
    expect(host.sent()).toEqual([]);
    expect(host.undelivered()).toEqual([
      expect.objectContaining({ name: 'FUNC_SEND_IMG', reason: expect.stringContaining('no file') }),
    ]);
  });

  it('pushes each kind with content as WeChat writes it, and serves downloads through the share', async () => {
    const { wcf, host } = await setup();
    const received: WxMsg[] = [];
    await wcf.startReceiving(message => received.push(message));
    await host.pushFile({ sender: 'wxid_a', data: new TextEncoder().encode('hello'), fileName: 'a.txt' });
    await host.pushLink({ sender: 'wxid_a', url: 'https://example.com/?a=1&b=2', title: 'T' });
    await host.pushSystem({ roomid: 'r@chatroom', text: 'You joined' });
    await expect.poll(() => received.map(message => message.type)).toEqual([49, 49, 10000]);
    const [file, link, system] = received;
    expect(file?.extra).toMatch(/^C:\/wcf-share\/WeChat Files\/wxid_self\/FileStorage\/File\/\d{4}-\d{2}\/a\.txt$/);
    expect(file?.content).toContain('<type>6</type>');
    expect(link?.content).toContain('https://example.com/?a=1&amp;b=2');
    expect(system).toMatchObject({ is_group: true, roomid: 'r@chatroom', content: 'You joined' });
    // The file reaches the disk only after FUNC_DOWNLOAD_ATTACH, as large files do.
    await wcf.downloadAttach(file?.id ?? '', '', file?.extra ?? '');
    expect(host.requests().at(-1)?.name).toBe('FUNC_DOWNLOAD_ATTACH');
  });

  it('listens again on the same ports after a restart, with the push off until enabled', async () => {
    const { host } = await setup();
    const port = host.port;
    await host.stop();
    await host.restart();
    expect(host.port).toBe(port);
    expect(host.receiving).toBe(false);
    const again = await connectWcfClient({ host: '127.0.0.1', port, logger: noopLogger });
    cleanups.push(() => again.close());
    await expect(again.isLogin()).resolves.toBe(true);
  });
});
