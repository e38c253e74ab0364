import { afterEach, describe, expect, it } from 'vitest';
import { type FakeWecomServer, type FakeWecomServerOptions, startFakeWecomServer } from './fake-wecom-server.ts';

const servers: FakeWecomServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(options: FakeWecomServerOptions = {}) {
  let clock = 1_700_000_000_000;
  const server = await startFakeWecomServer({ now: () => clock, ...options });
  servers.push(server);
  const get = async (path: string, query: Record<string, string | number> = {}) => {
    const url = new URL(`/cgi-bin/${path}`, server.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    const response = await fetch(url);
    return { response, body: (await response.json()) as Record<string, unknown> };
  };
  const post = async (path: string, query: Record<string, string>, body: unknown) => {
    const url = new URL(`/cgi-bin/${path}`, server.url);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const response = await fetch(url, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const token = async () =>
    String((await get('gettoken', { corpid: server.corpId, corpsecret: server.secret })).body.access_token);
  return { server, get, post, token, advance: (ms: number) => (clock += ms) };
}

const png = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
);

async function upload(
  server: FakeWecomServer,
  token: string,
  type: string,
  data: Uint8Array,
  fileName: string,
  mimeType = 'application/octet-stream',
) {
  const form = new FormData();
  form.append('media', new Blob([new Uint8Array(data)], { type: mimeType }), fileName);
  const response = await fetch(`${server.url}/cgi-bin/media/upload?access_token=${token}&type=${type}`, {
    method: 'POST',
    body: form,
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('gettoken', () => {
  it('issues a token for 7200 s and the same token while it is valid', async () => {
    const { server, get, advance } = await start();
    const first = await get('gettoken', { corpid: server.corpId, corpsecret: server.secret });
    expect(first.body).toEqual({ errcode: 0, errmsg: 'ok', access_token: expect.any(String), expires_in: 7200 });
    advance(1_000_000);
    const second = await get('gettoken', { corpid: server.corpId, corpsecret: server.secret });
    expect(second.body).toMatchObject({ access_token: first.body.access_token, expires_in: 6200 });
  });

  it('refuses a wrong secret with 40001 and a wrong corp id with 40013', async () => {
    const { server, get } = await start();
    expect((await get('gettoken', { corpid: server.corpId, corpsecret: 'wrong' })).body).toMatchObject({ errcode: 40001 });
    expect((await get('gettoken', { corpid: 'ww0', corpsecret: server.secret })).body).toMatchObject({ errcode: 40013 });
    server.setSecret('rotated-secret');
    expect((await get('gettoken', { corpid: server.corpId, corpsecret: 'fake-wecom-app-secret' })).body).toMatchObject({
      errcode: 40001,
    });
  });

  it('answers a missing, unknown, expired or revoked token as WeCom does', async () => {
    const { server, get, token, advance } = await start();
    expect((await get('agent/get', { agentid: server.agentId })).body).toMatchObject({ errcode: 41001 });
    expect((await get('agent/get', { agentid: server.agentId, access_token: 'nope' })).body).toMatchObject({ errcode: 40014 });
    const issued = await token();
    expect((await get('agent/get', { agentid: server.agentId, access_token: issued })).body).toMatchObject({ errcode: 0 });
    server.expireToken({ answer: 40014 });
    expect((await get('agent/get', { agentid: server.agentId, access_token: issued })).body).toMatchObject({ errcode: 40014 });
    const fresh = await token();
    expect(fresh).not.toBe(issued);
    advance(7_200_001);
    expect((await get('agent/get', { agentid: server.agentId, access_token: fresh })).body).toMatchObject({
      errcode: 42001,
      errmsg: 'access_token expired',
    });
  });
});

describe('message/send', () => {
  it('records the message and answers with a msgid; all-invalid recipients are 81013', async () => {
    const { server, post, token } = await start();
    const access_token = await token();
    const answer = await post(
      'message/send',
      { access_token },
      {
        touser: 'zhangsan|ghost',
        msgtype: 'text',
        agentid: server.agentId,
        text: { content: 'hello' },
        safe: 0,
      },
    );
    expect(answer).toEqual({ errcode: 0, errmsg: 'ok', invaliduser: 'ghost', msgid: expect.any(String) });
    expect(server.sentMessages()).toEqual([
      expect.objectContaining({
        api: 'message/send',
        touser: 'zhangsan|ghost',
        agentid: server.agentId,
        msgtype: 'text',
        content: { content: 'hello' },
        msgid: answer.msgid,
      }),
    ]);
    expect(
      await post(
        'message/send',
        { access_token },
        { touser: 'ghost', msgtype: 'text', agentid: server.agentId, text: { content: 'x' } },
      ),
    ).toMatchObject({ errcode: 81013 });
  });

  it('checks agentid, msgtype, text size and media ids', async () => {
    const { server, post, token } = await start();
    const access_token = await token();
    const send = (body: Record<string, unknown>) =>
      post('message/send', { access_token }, { touser: 'zhangsan', agentid: server.agentId, ...body });
    expect(await send({ agentid: 7, msgtype: 'text', text: { content: 'x' } })).toMatchObject({ errcode: 301002 });
    expect(await send({ msgtype: 'sticker', sticker: {} })).toMatchObject({ errcode: 40008 });
    expect(await send({ msgtype: 'text', text: { content: '字'.repeat(683) } })).toMatchObject({ errcode: 45002 });
    expect(await send({ msgtype: 'image', image: { media_id: 'nope' } })).toMatchObject({ errcode: 40007 });
    expect(await send({ msgtype: 'news', news: { articles: [] } })).toMatchObject({ errcode: 40035 });
  });

  it('recalls a message once', async () => {
    const { server, post, token } = await start();
    const access_token = await token();
    const { msgid } = await post(
      'message/send',
      { access_token },
      { touser: 'zhangsan', msgtype: 'text', agentid: server.agentId, text: { content: 'x' } },
    );
    expect(await post('message/recall', { access_token }, { msgid })).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(server.sentMessages()[0]?.recalled).toBe(true);
    expect(await post('message/recall', { access_token }, { msgid })).toMatchObject({ errcode: 40035 });
  });
});

describe('media', () => {
  it('stores uploads and returns media_id with created_at as a string', async () => {
    const { server, token, get } = await start();
    const access_token = await token();
    const answer = await upload(server, access_token, 'image', png, '图片.png', 'image/png');
    expect(answer).toEqual({ errcode: 0, errmsg: '', type: 'image', media_id: expect.any(String), created_at: '1700000000' });
    expect(server.media(String(answer.media_id))).toMatchObject({ fileName: '图片.png', mimeType: 'image/png', data: png });
    const response = await fetch(`${server.url}/cgi-bin/media/get?access_token=${access_token}&media_id=${answer.media_id}`);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toContain("filename*=UTF-8''%E5%9B%BE%E7%89%87.png");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
    expect((await get('media/get', { access_token, media_id: 'gone' })).body).toEqual({
      errcode: 40007,
      errmsg: 'invalid media_id',
    });
  });

  it('refuses wrong types, formats and sizes', async () => {
    const { server, token } = await start();
    const access_token = await token();
    expect(await upload(server, access_token, 'sticker', png, 'a.png')).toMatchObject({ errcode: 40004 });
    expect(await upload(server, access_token, 'image', new TextEncoder().encode('GIF89a-data'), 'a.gif')).toMatchObject({
      errcode: 40005,
    });
    expect(await upload(server, access_token, 'voice', new TextEncoder().encode('OggS-data'), 'a.ogg')).toMatchObject({
      errcode: 40005,
    });
    expect(await upload(server, access_token, 'file', Uint8Array.of(1, 2, 3, 4, 5), 'a.bin')).toMatchObject({ errcode: 40006 });
    expect(await upload(server, access_token, 'voice', new Uint8Array(2 * 1024 * 1024 + 1), 'a.amr')).toMatchObject({
      errcode: 40006,
    });
  });

  it('expires media after 3 days', async () => {
    const { server, advance } = await start();
    const mediaId = server.putMedia({ data: png, mimeType: 'image/png', fileName: 'a.png' });
    advance(3 * 24 * 3600_000);
    expect(server.media(mediaId)).toBeUndefined();
  });
});

describe('contacts', () => {
  it('hides avatar and gender from new apps, shows them otherwise', async () => {
    const restricted = await start();
    const user = (await restricted.get('user/get', { access_token: await restricted.token(), userid: 'zhangsan' })).body;
    expect(user).toMatchObject({ errcode: 0, userid: 'zhangsan', name: '张三', department: [1, 2] });
    expect(user).not.toHaveProperty('avatar');
    const full = await start({ restrictedProfiles: false });
    expect((await full.get('user/get', { access_token: await full.token(), userid: 'zhangsan' })).body).toMatchObject({
      gender: '1',
      avatar: `${full.server.url}/avatar/zhangsan`,
    });
  });

  it('answers unknown members with 60111 and unknown customers with 84061', async () => {
    const { get, token } = await start();
    const access_token = await token();
    expect((await get('user/get', { access_token, userid: 'ghost' })).body).toMatchObject({ errcode: 60111 });
    expect((await get('externalcontact/get', { access_token, external_userid: 'wm0' })).body).toMatchObject({ errcode: 84061 });
    expect((await get('externalcontact/get', { access_token, external_userid: 'wmAbCdEf0123456789' })).body).toMatchObject({
      external_contact: { name: '客户小王', type: 1 },
    });
  });

  it('lists departments and their members', async () => {
    const { get, token } = await start();
    const access_token = await token();
    expect((await get('department/list', { access_token })).body.department).toEqual([
      expect.objectContaining({ id: 1, parentid: 0 }),
      expect.objectContaining({ id: 2, parentid: 1 }),
    ]);
    const members = (await get('user/simplelist', { access_token, department_id: 2 })).body.userlist as { userid: string }[];
    expect(members.map(member => member.userid)).toEqual(['zhangsan', 'lisi']);
    const all = (await get('user/list', { access_token, department_id: 1, fetch_child: 1 })).body.userlist as {
      userid: string;
    }[];
    expect(all.map(member => member.userid)).toEqual(['zhangsan', 'lisi', 'wangwu']);
  });
});

describe('appchat', () => {
  it('creates, reads, updates and sends to a chat', async () => {
    const { server, get, post, token } = await start();
    const access_token = await token();
    const created = await post(
      'appchat/create',
      { access_token },
      { name: 'NAME', owner: 'zhangsan', userlist: ['zhangsan', 'lisi'] },
    );
    expect(created).toEqual({ errcode: 0, errmsg: 'ok', chatid: expect.stringMatching(/^[0-9a-zA-Z]{1,32}$/) });
    const chatid = String(created.chatid);
    expect(
      await post(
        'appchat/update',
        { access_token },
        { chatid, name: 'RENAMED', add_user_list: ['wangwu'], del_user_list: ['lisi'] },
      ),
    ).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await get('appchat/get', { access_token, chatid })).body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      chat_info: { chatid, name: 'RENAMED', owner: 'zhangsan', userlist: ['zhangsan', 'wangwu'], chat_type: 0 },
    });
    expect(await post('appchat/send', { access_token }, { chatid, msgtype: 'text', text: { content: 'hi' }, safe: 0 })).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    expect(server.sentMessages()).toEqual([expect.objectContaining({ api: 'appchat/send', chatid, content: { content: 'hi' } })]);
    expect(
      await post('appchat/send', { access_token }, { chatid: 'nope', msgtype: 'text', text: { content: 'hi' } }),
    ).toMatchObject({ errcode: 86001 });
    expect(await post('appchat/create', { access_token }, { name: 'x', userlist: ['zhangsan'] })).toMatchObject({
      errcode: 40035,
    });
  });
});

describe('controls', () => {
  it('fails the next matching request in the way asked, once, and records it', async () => {
    const { server, get, token } = await start();
    const access_token = await token();
    server.failNext('agent/get', -1);
    server.failNext('*', { status: 502, body: 'Bad Gateway' });
    server.failNext('/cgi-bin/agent/get', 'network');
    expect((await get('agent/get', { access_token, agentid: server.agentId })).body).toMatchObject({ errcode: -1 });
    await expect(
      fetch(`${server.url}/cgi-bin/agent/get?access_token=${access_token}&agentid=${server.agentId}`),
    ).rejects.toThrow();
    expect((await fetch(`${server.url}/cgi-bin/user/get?access_token=${access_token}&userid=lisi`)).status).toBe(502);
    expect((await get('agent/get', { access_token, agentid: server.agentId })).body).toMatchObject({
      errcode: 0,
      name: 'Matrix Bridge',
    });
    expect(server.requests().map(request => [request.path, request.failure])).toEqual([
      ['gettoken', undefined],
      ['agent/get', -1],
      ['agent/get', 'network'],
      ['user/get', { status: 502, body: 'Bad Gateway' }],
      ['agent/get', undefined],
    ]);
  });
});
