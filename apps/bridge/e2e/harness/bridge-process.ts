import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LogLevel } from '@wechat/provider-api';
import { parse, parseDocument } from 'yaml';
import { freePort } from './ports.ts';

const execFileAsync = promisify(execFile);

const cliPath = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
/** How a self-hoster runs the bridge from a checkout (see bin/bridge-dev.mjs). */
const nodeArgs = ['--conditions=dev-source', '--disable-warning=ExperimentalWarning', cliPath];
const configEnvPrefix = 'WECHAT_BRIDGE_';

/**
 * The environment for a bridge process. The bridge reads every WECHAT_BRIDGE_* variable as a config override
 * and rejects those that name no setting, so the test runner's own ones (WECHAT_CI_CACHE from the CI
 * scripts, say) must not reach it; tests that want an override pass it in `extra`.
 */
export function bridgeEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith(configEnvPrefix)) env[name] = value;
  return { ...env, ...extra };
}

/** Runs one CLI command to completion and returns its stdout; a non-zero exit throws with its stderr. */
export async function runBridgeCli(args: readonly string[], options: { readonly cwd: string }): Promise<string> {
  try {
    const { stdout } = await execFileAsync(process.execPath, [...nodeArgs, ...args], { cwd: options.cwd, env: bridgeEnv() });
    return stdout;
  } catch (error) {
    const { message, stderr } = error as { message: string; stderr?: string };
    throw new Error(`wechat-bridge ${args.join(' ')} failed: ${message}\n${stderr ?? ''}`);
  }
}

export interface BridgeConfigOptions {
  /** Receives config.yaml, registration.yaml and the database directory. Must exist. */
  readonly dir: string;
  /** The homeserver's client-server URL, e.g. `synapse.baseUrl`. */
  readonly homeserverUrl: string;
  /** Default: localhost, the test Synapse's server name. */
  readonly domain?: string;
  /** Default: debug, so a failing test's bridge log says as much as possible. */
  readonly logLevel?: LogLevel;
  /** More settings for the generated config, as key path and value, e.g. `[['bridge', 'encryption', 'allow'], true]`. */
  readonly settings?: readonly (readonly [readonly string[], unknown])[];
  /** The appservice and metrics ports; free ones are picked when absent. */
  readonly ports?: { readonly appservice: number; readonly metrics: number };
}

export interface BridgeSetup {
  readonly configFile: string;
  readonly registrationFile: string;
  readonly databasePath: string;
  /** Where the homeserver reaches the bridge: `http://127.0.0.1:<appservicePort>`. */
  readonly appserviceUrl: string;
  readonly appservicePort: number;
  /** `http://127.0.0.1:<port>` of the metrics and health listener. */
  readonly metricsUrl: string;
  readonly asToken: string;
  readonly hsToken: string;
  readonly botUserId: string;
  /** The registration's user namespace regex (ghosts and bot). */
  readonly userNamespace: string;
}

/**
 * Writes the bridge's files the way a self-hoster makes them: `generate-config`, fill in the blanks (here:
 * homeserver, loopback listeners on free ports, a database in `dir`, the log level), then
 * `generate-registration` from that config. Comments in the generated config are kept.
 */
export async function writeBridgeConfig(options: BridgeConfigOptions): Promise<BridgeSetup> {
  const { dir, homeserverUrl, domain = 'localhost', logLevel = 'debug', settings = [] } = options;
  const [appservicePort, metricsPort] = options.ports
    ? [options.ports.appservice, options.ports.metrics]
    : [await freePort(), await freePort()];
  const appserviceUrl = `http://127.0.0.1:${appservicePort}`;
  const databasePath = join(dir, 'db');

  const document = parseDocument(await runBridgeCli(['generate-config'], { cwd: dir }));
  if (document.errors.length > 0) throw new Error(`generate-config printed invalid YAML: ${document.errors.join('; ')}`);
  const edits: (readonly [readonly string[], unknown])[] = [
    [['homeserver', 'address'], homeserverUrl],
    [['homeserver', 'domain'], domain],
    [['appservice', 'address'], appserviceUrl],
    [['appservice', 'hostname'], '127.0.0.1'],
    [['appservice', 'port'], appservicePort],
    [['database', 'path'], databasePath],
    [['metrics', 'listen'], `127.0.0.1:${metricsPort}`],
    [['logging', 'min_level'], logLevel],
    ...settings,
  ];
  for (const [path, value] of edits) document.setIn(path, value);
  const configFile = join(dir, 'config.yaml');
  await writeFile(configFile, document.toString());

  const registrationYaml = await runBridgeCli(['generate-registration', '--config', configFile], { cwd: dir });
  const registrationFile = join(dir, 'registration.yaml');
  await writeFile(registrationFile, registrationYaml);
  const registration = parse(registrationYaml) as {
    as_token: string;
    hs_token: string;
    sender_localpart: string;
    namespaces: { users: { regex: string }[] };
  };
  return {
    configFile,
    registrationFile,
    databasePath,
    appserviceUrl,
    appservicePort,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    asToken: registration.as_token,
    hsToken: registration.hs_token,
    botUserId: `@${registration.sender_localpart}:${domain}`,
    userNamespace: registration.namespaces.users[0]?.regex ?? '',
  };
}

export interface BridgeProcessOptions {
  readonly configFile: string;
  readonly cwd: string;
  /** stdout and stderr, appended (a restarted bridge continues the same file). Default: bridge.log in `cwd`. */
  readonly logFile?: string;
  /** Extra environment variables, e.g. WECHAT_BRIDGE_* config overrides. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface BridgeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface WaitForLogOptions {
  /** Default 30 s. */
  readonly timeoutMs?: number;
  /** Only lines from this index on count (see `lineCount`); default 0, i.e. everything printed so far counts too. */
  readonly fromLine?: number;
}

export interface BridgeProcess {
  readonly pid: number | undefined;
  readonly logFile: string;
  /** Lines printed so far on stdout and stderr, interleaved as they arrived. */
  readonly lineCount: number;
  lines(): readonly string[];
  /** Resolves with the first output line matching `pattern`; rejects when the bridge exits or the time runs out. */
  waitForLog(pattern: RegExp, options?: WaitForLogOptions): Promise<string>;
  /** SIGTERM, as a service manager stops it. Resolves with the exit code, which must be 0; anything else throws. */
  stop(options?: { readonly timeoutMs?: number }): Promise<number>;
  /** SIGKILL, for crash tests. Resolves with the signal once the process is gone. */
  kill(): Promise<NodeJS.Signals | null>;
  /** Settles when the process has exited and its output is fully read. */
  readonly exited: Promise<BridgeExit>;
}

interface LogWaiter {
  readonly pattern: RegExp;
  readonly resolve: (line: string) => void;
  readonly reject: (error: Error) => void;
}

/** Starts `wechat-bridge start --config FILE` as its own process, exactly as a self-hoster would run it. */
export function startBridge(options: BridgeProcessOptions): BridgeProcess {
  const { configFile, cwd, logFile = join(cwd, 'bridge.log'), env = {} } = options;
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`--- wechat-bridge start --config ${configFile} at ${new Date().toISOString()}\n`);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'start', '--config', configFile], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: bridgeEnv(env),
  });
  const output: string[] = [];
  const waiters = new Set<LogWaiter>();
  const tail = (count = 40): string => output.slice(-count).join('\n');

  const addLine = (line: string): void => {
    output.push(line);
    for (const waiter of waiters) if (waiter.pattern.test(line)) waiter.resolve(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      log.write(chunk);
      const pieces = (partial + chunk).split('\n');
      partial = pieces.pop() ?? '';
      for (const line of pieces) addLine(line);
    });
    stream?.on('end', () => {
      if (partial !== '') addLine(partial);
      partial = '';
    });
  }

  // Last resort when the test process exits without stopping the bridge: only synchronous work can run here.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const exited = new Promise<BridgeExit>(resolve => {
    // 'close' rather than 'exit': the output is complete by then, so an exit message is never missed.
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', error => {
      addLine(`(the bridge process could not be started: ${error.message})`);
      resolve({ code: null, signal: null });
    });
  }).then(exit => {
    process.off('exit', killOnExit);
    log.end(`--- exited with code ${exit.code}, signal ${exit.signal}\n`);
    for (const waiter of waiters) waiter.reject(new Error(`the bridge exited (${describeExit(exit)})`));
    return exit;
  });
  let exit: BridgeExit | undefined;
  void exited.then(result => {
    exit = result;
  });

  return {
    get pid() {
      return child.pid;
    },
    logFile,
    get lineCount() {
      return output.length;
    },
    lines: () => [...output],
    waitForLog(wanted, { timeoutMs = 30_000, fromLine = 0 } = {}) {
      // A /g or /y pattern keeps a position between test() calls and would skip matches; tests only mean "contains".
      const pattern = new RegExp(wanted.source, wanted.flags.replace(/[gy]/g, ''));
      const earlier = output.slice(fromLine).find(line => pattern.test(line));
      if (earlier !== undefined) return Promise.resolve(earlier);
      if (exit)
        return Promise.reject(new Error(`waiting for ${pattern}: the bridge has exited (${describeExit(exit)})\n${tail()}`));
      return new Promise<string>((resolve, reject) => {
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        const waiter: LogWaiter = {
          pattern,
          resolve: line => {
            finish();
            resolve(line);
          },
          reject: error => {
            finish();
            reject(new Error(`waiting for ${pattern}: ${error.message}\n${tail()}`));
          },
        };
        const timer = setTimeout(
          () => waiter.reject(new Error(`no output line matched within ${timeoutMs} ms; the bridge printed (last 40 lines):`)),
          timeoutMs,
        );
        waiters.add(waiter);
      });
    },
    async stop({ timeoutMs = 20_000 } = {}) {
      if (!exit) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>(resolve => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const result = await Promise.race([exited, timedOut]);
        clearTimeout(timer);
        if (result === 'timeout') {
          child.kill('SIGKILL');
          await exited;
          throw new Error(`the bridge did not exit within ${timeoutMs} ms of SIGTERM and was killed\n${tail()}`);
        }
      }
      const { code, signal } = await exited;
      if (code !== 0) throw new Error(`the bridge exited with ${describeExit({ code, signal })}, expected code 0\n${tail()}`);
      return code;
    },
    async kill() {
      child.kill('SIGKILL');
      return (await exited).signal;
    },
    exited,
  };
}

function describeExit({ code, signal }: BridgeExit): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}
