// Failover end to end: one WeChat account served by the iPad provider (GeWeChat simulator, tier 2) and the PC-hook
// provider (WeChatFerry host simulator, tier 3) through the bridge's own CLI, a real Synapse and matrix-js-sdk.
// The iPad service goes away mid-conversation and comes back; messages keep flowing both ways.
import { createGewechatSimulator, type GewechatSimulator } from '@wechat/provider-ipad/testing';
import { startWcfHostSimulator, type WcfHostSimulator } from '@wechat/provider-pchook/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Human } from './harness/human.ts';
import { ghostOf, isText, openManagementRoom, type Scenario, startScenario, startsWith, waitUntil } from './harness/scenario.ts';

const self = { wxid: 'wxid_same_account', name: 'Same Account' };
const alice = 'wxid_alice01';
const ghost = ghostOf(alice);

describe('failover between the iPad and PC-hook providers', () => {
  let scenario: Scenario;
  let human: Human;
  let gewe: GewechatSimulator;
  let host: WcfHostSimulator;
  let managementRoom: string;
  let portal: string;

  const viaIpad = () => gewe.sent.filter(sent => sent.path === '/message/postText').map(sent => sent.content);
  const viaPchook = () => host.sent().flatMap(sent => (sent.kind === 'text' ? [sent.text] : []));
  const activeProvider = async () => {
    const health = (await (await fetch(`${scenario.setup.metricsUrl}/health`)).json()) as {
      logins: { activeProvider?: string }[];
    };
    return health.logins[0]?.activeProvider;
  };
  const metric = async (pattern: RegExp) => {
    const text = await (await fetch(`${scenario.setup.metricsUrl}/metrics`)).text();
    return Number(pattern.exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    gewe = await createGewechatSimulator({ self: { wxid: self.wxid, nickName: self.name } });
    gewe.addContact({ wxid: alice, nickName: 'Alice Li' });
    host = await startWcfHostSimulator({
      self: { wxid: self.wxid, name: self.name },
      contacts: [{ wxid: alice, name: 'Alice Li' }],
    });
    scenario = await startScenario({
      name: 'failover',
      synapsePython: inject('synapsePython'),
      extraPorts: 1,
      providers: ([callbackPort]) => ({
        failover: {
          enabled: true,
          health_check_interval_s: 1,
          failure_threshold: 2,
          recovery_check_interval_s: 1,
          recovery_threshold: 2,
        },
        ipad: {
          enabled: true,
          api_endpoint: gewe.apiUrl,
          download_endpoint: gewe.downloadUrl,
          callback_url: `http://127.0.0.1:${callbackPort}/callback`,
          callback_port: callbackPort,
          risk_control: { new_account_silence_days: 0, message_interval_ms: 0 },
        },
        pchook: { enabled: true, rpc_endpoint: host.endpoint, shared_dir: host.sharedDir, windows_dir: host.windowsDir },
      }),
    });
    human = scenario.human;
  }, 180_000);

  afterAll(async () => {
    await scenario?.stop();
    await gewe?.stop();
    await host?.close();
  });

  it('logs in through the preferred provider (iPad, QR code)', async () => {
    managementRoom = await openManagementRoom(scenario);
    await human.sendText(managementRoom, 'login');
    await human.waitForEvent(managementRoom, event => event.content.msgtype === 'm.image', 30_000);
    gewe.confirmLogin();
    await human.waitForEvent(managementRoom, startsWith('Logged in to WeChat as Same Account'), 30_000);
    // The PC hook (already logged in on Windows) may serve first; the iPad provider, preferred, takes over.
    await waitUntil(async () => (await activeProvider()) === 'ipad', 'the iPad provider to serve the login');
    await gewe.receive.text({ from: alice, text: 'hello through the iPad' });
    const space = await human.waitForRoomInvite(scenario.setup.botUserId);
    await human.joinRoom(space);
    portal = await human.waitForRoomInvite(scenario.setup.botUserId);
    await human.joinRoom(portal);
    expect((await human.waitForEvent(portal, isText('hello through the iPad'))).sender).toBe(ghost);
    await human.sendText(portal, 'reply through the iPad');
    await waitUntil(() => viaIpad().includes('reply through the iPad'), 'the reply on the iPad');
    expect(viaPchook()).not.toContain('reply through the iPad');
  });

  it('switches to the PC hook when the iPad service goes away; messages keep flowing both ways', async () => {
    await gewe.stop();
    await waitUntil(async () => (await activeProvider()) === 'pchook', 'the switch to the PC hook');
    await human.waitForEvent(
      managementRoom,
      event => String(event.content.body ?? '').includes('failed its health checks'),
      30_000,
    );
    await human.sendText(portal, 'sent during the outage');
    await waitUntil(() => viaPchook().includes('sent during the outage'), 'the message through the PC hook');
    await host.pushText({ sender: alice, content: 'hello through the PC hook' });
    expect((await human.waitForEvent(portal, isText('hello through the PC hook'))).sender).toBe(ghost);
    expect(await metric(/^mautrix_wechat_failover_switches_total\{provider="pchook",reason="health-check-failed"\} (\d+)/m)).toBe(
      1,
    );
  });

  it('promotes the iPad provider back once it has recovered', async () => {
    await gewe.start();
    await waitUntil(async () => (await activeProvider()) === 'ipad', 'the promotion back to the iPad provider', 60_000);
    await human.waitForEvent(managementRoom, event =>
      String(event.content.body ?? '').includes('a preferred provider is healthy again'),
    );
    await human.sendText(portal, 'after the recovery');
    await waitUntil(() => viaIpad().includes('after the recovery'), 'the message on the iPad again');
    expect(viaPchook()).not.toContain('after the recovery');
    // Nothing was lost or doubled across both switches.
    for (const text of ['reply through the iPad', 'sent during the outage', 'after the recovery']) {
      expect([...viaIpad(), ...viaPchook()].filter(sent => sent === text)).toHaveLength(1);
    }
    expect(
      await metric(/^mautrix_wechat_failover_switches_total\{provider="ipad",reason="recovered"\} (\d+)/m),
    ).toBeGreaterThanOrEqual(1);
    expect(await metric(/^mautrix_wechat_messages_sent_total\{provider="pchook",kind="text"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(await metric(/^mautrix_wechat_messages_sent_total\{provider="ipad",kind="text"\} (\d+)/m)).toBeGreaterThanOrEqual(2);
  });
});
