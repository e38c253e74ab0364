// What one WeChat message costs from GeWeChat's callback POST to the Matrix send, through the iPad provider and
// the bridge on PGlite, against the baseline of POSTing the same callback to a server that only answers.
// vitest prints each case's ops/s and how many times slower the bridged path is than the baseline.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BridgeConfig, bridgeConfigSchema, createBridge } from '@wechat/bridge-core';
import { createFakeMatrix, openTestStore } from '@wechat/bridge-core/testing';
import { createProviderRegistry, noopLogger } from '@wechat/provider-api';
import { createIpadProvider } from '@wechat/provider-ipad';
import { createGewechatSimulator } from '@wechat/provider-ipad/testing';
import * as v from 'valibot';
import { afterAll, bench, describe } from 'vitest';

const user = '@alice:example.org';
const alice = 'wxid_bench_alice';

const sim = await createGewechatSimulator({ self: { wxid: 'wxid_bench_self', nickName: 'Bench' } });
sim.addContact({ wxid: alice, nickName: 'Alice' });
const callbackPort = await new Promise<number>(resolve => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(port));
  });
});
const matrix = createFakeMatrix();
const store = await openTestStore();
const provider = createIpadProvider({ loginPollIntervalMs: 10 });
const config: BridgeConfig = v.parse(bridgeConfigSchema, { permissions: { 'example.org': 'user' } });
const bridge = createBridge({
  config,
  matrix,
  store,
  providers: createProviderRegistry([provider]),
  providerConfigs: new Map([
    [
      'ipad',
      v.parse(provider.configSchema as never, {
        enabled: true,
        api_endpoint: sim.apiUrl,
        download_endpoint: sim.downloadUrl,
        api_token: sim.token,
        callback_url: `http://127.0.0.1:${callbackPort}/callback`,
        callback_port: callbackPort,
      }),
    ],
  ]),
  logger: noopLogger,
  renderQrCode: async text => ({ data: new TextEncoder().encode(text), mimeType: 'image/png', width: 1, height: 1 }),
});
await bridge.start();
matrix.registerHuman(user);
let txn = 0;
const send = async (roomId: string, type: string, content: Record<string, unknown>, stateKey?: string) => {
  await bridge.acceptTransaction(`bench-${++txn}`, {
    events: [matrix.humanSends(user, roomId, type, content, stateKey === undefined ? {} : { stateKey })],
  });
  await bridge.idle();
};
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise(resolve => setImmediate(resolve));
};
const managementRoom = await matrix.createRoom(user, { invite: [matrix.botUserId], isDirect: true });
await send(managementRoom, 'm.room.member', { membership: 'invite', is_direct: true }, matrix.botUserId);
await send(managementRoom, 'm.room.message', { msgtype: 'm.text', body: 'login' });
await until(() => matrix.events(managementRoom).some(event => event.content.msgtype === 'm.image'));
sim.confirmLogin();
await until(() => matrix.events(managementRoom).some(event => String(event.content.body).startsWith('Logged in')));

/** Every Matrix event the bridge sent, in any room: the bridged message is one more. */
const sentCount = () => matrix.events().length;
// The first message creates the portal; the benchmark measures steady-state messages.
await sim.receive.text({ from: alice, text: 'warm-up' });
await until(() => matrix.events().some(event => event.content.body === 'warm-up'));

const baselineServer = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.end('success'));
});
await new Promise<void>(resolve => baselineServer.listen(0, '127.0.0.1', resolve));
const baselineUrl = `http://127.0.0.1:${(baselineServer.address() as AddressInfo).port}/callback`;
const sampleBody = JSON.stringify({
  TypeName: 'AddMsg',
  Appid: sim.appId,
  Wxid: 'wxid_bench_self',
  Data: {
    MsgId: 1,
    FromUserName: { string: alice },
    ToUserName: { string: 'wxid_bench_self' },
    MsgType: 1,
    Content: { string: 'x' },
  },
});

afterAll(async () => {
  await bridge.stop();
  await store.close();
  await sim.stop();
  await new Promise(resolve => baselineServer.close(resolve));
});

describe('one inbound WeChat text, callback POST → Matrix send', () => {
  const options = { time: 3000, warmupIterations: 5 };
  let counter = 0;

  bench(
    'baseline: POST the callback to a server that only answers',
    async () => {
      const response = await fetch(baselineUrl, { method: 'POST', body: sampleBody });
      await response.text();
    },
    options,
  );

  bench(
    'iPad provider + bridge (PGlite): POST, parse, inbox, portal lookup, Matrix send',
    async () => {
      const target = sentCount() + 1;
      await sim.receive.text({ from: alice, text: `bench ${++counter}` });
      await until(() => sentCount() >= target);
    },
    options,
  );
});
