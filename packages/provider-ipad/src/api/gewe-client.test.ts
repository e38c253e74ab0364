import { noopLogger, WechatAuthenticationError, WechatProviderUnavailableError, WechatRequestError } from '@wechat/provider-api';
import { describe, expect, it } from 'vitest';
import { defaultDownloadEndpoint, GeweClient, readSendResult } from './gewe-client.ts';
import { type HttpRequest, type HttpResponse, HttpTransportError } from './http-transport.ts';

function clientWith(answer: (request: HttpRequest) => HttpResponse | Promise<HttpResponse>) {
  const requests: HttpRequest[] = [];
  const client = new GeweClient({
    apiEndpoint: 'http://gewe:2531/v2/api',
    downloadEndpoint: 'http://gewe:2532/download',
    transport: async request => {
      requests.push(request);
      return answer(request);
    },
    providerId: 'ipad',
    logger: noopLogger,
  });
  return { client, requests };
}

const json = (text: string, status = 200): HttpResponse => ({ status, headers: {}, body: new TextEncoder().encode(text) });

describe('GeweClient', () => {
  it('posts JSON with X-GEWE-TOKEN under /v2/api and returns data', async () => {
    const { client, requests } = clientWith(() => json('{"ret":200,"msg":"操作成功","data":true}'));
    client.token = 'tok-1';
    expect(await client.post('/login/checkOnline', { appId: 'wx_a' })).toBe(true);
    expect(requests[0]?.url.toString()).toBe('http://gewe:2531/v2/api/login/checkOnline');
    expect(requests[0]?.headers).toMatchObject({ 'X-GEWE-TOKEN': 'tok-1', 'content-type': 'application/json' });
    expect(JSON.parse(String(requests[0]?.body))).toEqual({ appId: 'wx_a' });
  });

  it('keeps 64-bit ids exact (trap 1)', async () => {
    const { client } = clientWith(() =>
      json(
        '{"ret":200,"msg":"ok","data":{"toWxid":"r@chatroom","createTime":1703841160,"msgId":0,"newMsgId":3768973957878705123,"type":1}}',
      ),
    );
    client.token = 't';
    const result = readSendResult(await client.post('/message/postText', {}), '/message/postText', 'ipad');
    expect(result).toEqual({
      toWxid: 'r@chatroom',
      createTime: 1703841160,
      msgId: '0',
      newMsgId: '3768973957878705123',
      type: 1,
    });
  });

  it('gets the token without a header', async () => {
    const { client, requests } = clientWith(() => json('{"ret":200,"msg":"执行成功","data":"the-token"}'));
    expect(await client.fetchToken()).toBe('the-token');
    expect(requests[0]?.headers).not.toHaveProperty('X-GEWE-TOKEN');
  });

  it('maps ret != 200 to a WechatRequestError carrying ret and msg', async () => {
    const { client } = clientWith(() => json('{"ret":500,"msg":"下载图片失败"}'));
    client.token = 't';
    const error = await client.post('/message/downloadImage', {}).catch((caught: unknown) => caught);
    expect(WechatRequestError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ remoteCode: 500, operation: '/message/downloadImage', statusCode: 200, retryable: true });
    expect((error as Error).message).toContain('下载图片失败');
  });

  it('maps unreachable services to a retryable WechatProviderUnavailableError', async () => {
    const { client } = clientWith(() => {
      throw new HttpTransportError('network', 'connect ECONNREFUSED');
    });
    client.token = 't';
    const error = await client.post('/login/checkOnline', {}).catch((caught: unknown) => caught);
    expect(WechatProviderUnavailableError.isInstance(error)).toBe(true);
    expect((error as WechatProviderUnavailableError).retryable).toBe(true);
  });

  it('refuses authenticated calls before it has a token', async () => {
    const { client, requests } = clientWith(() => json('{}'));
    await expect(client.post('/login/checkOnline', {})).rejects.toSatisfy(WechatAuthenticationError.isInstance);
    expect(requests).toHaveLength(0);
  });

  it('reports a non-JSON answer clearly', async () => {
    const { client } = clientWith(() => json('<html>502 Bad Gateway</html>', 502));
    client.token = 't';
    const error = (await client.post('/x', {}).catch((caught: unknown) => caught)) as WechatRequestError;
    expect(error.statusCode).toBe(502);
    expect(error.retryable).toBe(true);
  });

  it('downloads relative fileUrls from the file server (trap 14)', async () => {
    const { client, requests } = clientWith(() => ({ status: 200, headers: {}, body: new Uint8Array([7]) }));
    await client.download('20250104/wx_a/x.png');
    expect(requests[0]?.url.toString()).toBe('http://gewe:2532/download/20250104/wx_a/x.png');
    expect(defaultDownloadEndpoint('http://gewe:2531/v2/api')).toBe('http://gewe:2532/download');
  });
});
