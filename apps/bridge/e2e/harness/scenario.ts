import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BridgeProcess, type BridgeSetup, startBridge, writeBridgeConfig } from './bridge-process.ts';
import { type EventJson, type Human, loginHuman } from './human.ts';
import { freePorts } from './ports.ts';
import { type Synapse, startSynapse } from './synapse.ts';

/** One bridge through its CLI, a real Synapse, and one user (`@human:localhost`) logged in with matrix-js-sdk. */
export interface Scenario {
  readonly dir: string;
  readonly setup: BridgeSetup;
  readonly synapse: Synapse;
  readonly human: Human;
  /** The running bridge process (replaced by `launch()`). */
  readonly bridge: BridgeProcess;
  /** Starts the bridge (again) and waits until it reports that it started. */
  launch(): Promise<void>;
  /** Stops everything this scenario started. Safe to call after a failed start. */
  stop(): Promise<void>;
}

export interface ScenarioOptions {
  /** Names the temp directory (kept with WECHAT_E2E_KEEP_DIRS=1, with the bridge's log). */
  readonly name: string;
  /** The `providers` section of the bridge config, given `extraPorts` free ports (e.g. for callback servers). */
  readonly providers: (ports: readonly number[]) => Record<string, unknown>;
  /** How many more free ports `providers` needs; all ports are picked at once, so they are distinct. */
  readonly extraPorts?: number;
  readonly synapsePython: string;
}

export async function startScenario({ name, providers, synapsePython, extraPorts = 0 }: ScenarioOptions): Promise<Scenario> {
  const dir = await mkdtemp(join(tmpdir(), `wechat-e2e-${name}-`));
  const [homeserverPort = 0, appservice = 0, metrics = 0, ...extra] = await freePorts(3 + extraPorts);
  const setup = await writeBridgeConfig({
    dir,
    homeserverUrl: `http://127.0.0.1:${homeserverPort}`,
    ports: { appservice, metrics },
    settings: [
      [['providers'], providers(extra)],
      [['bridge', 'permissions'], { '@human:localhost': 'user' }],
    ],
  });
  let synapse: Synapse | undefined;
  let bridge: BridgeProcess | undefined;
  let human: Human | undefined;
  const stop = async () => {
    await human?.stop();
    await bridge?.stop().catch(() => bridge?.kill());
    await synapse?.stop();
    if (!process.env.WECHAT_E2E_KEEP_DIRS) await rm(dir, { recursive: true, force: true });
  };
  const launch = async () => {
    bridge = startBridge({ configFile: setup.configFile, cwd: dir });
    await bridge.waitForLog(/bridge started/, { timeoutMs: 60_000 });
  };
  try {
    synapse = await startSynapse({ registrationFiles: [setup.registrationFile], port: homeserverPort, python: synapsePython });
    await synapse.registerUser('human', 'human-password-1');
    await launch();
    human = await loginHuman(synapse.baseUrl, 'human', 'human-password-1');
  } catch (error) {
    await stop();
    throw error;
  }
  const started = { synapse, human };
  return {
    dir,
    setup,
    synapse: started.synapse,
    human: started.human,
    get bridge() {
      if (!bridge) throw new Error('the bridge was not started');
      return bridge;
    },
    launch,
    stop,
  };
}

/** Polls until `condition` holds; the error names what was awaited. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

export const isText = (body: string) => (event: EventJson) => event.type === 'm.room.message' && event.content.body === body;
export const startsWith = (prefix: string) => (event: EventJson) => String(event.content.body ?? '').startsWith(prefix);

/** The ghost of a WeChat id with the default username template (mautrix escaping: `_` doubles). */
export const ghostOf = (wechatId: string) => `@wechat_${wechatId.replaceAll('_', '__')}:localhost`;

/** A 1×1 PNG. */
export const png1x1 = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCB3UNq9AAAAABJRU5ErkJggg==', 'base64'),
);

/** Matrix user ids' management-room greeting, the first thing the bot says. */
export async function openManagementRoom(scenario: Scenario): Promise<string> {
  const room = await scenario.human.createDm(scenario.setup.botUserId);
  await scenario.human.waitForEvent(room, event => String(event.content.body ?? '').includes('WeChat bridge commands:'));
  return room;
}
