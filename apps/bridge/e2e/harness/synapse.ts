import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePort } from './ports.ts';

/** The environment variable naming the python that runs Synapse; `.ci/run` sets it from `.ci/synapse.sh`. */
export const synapsePythonVariable = 'WECHAT_E2E_SYNAPSE_PYTHON';

/** Set (to anything) to keep the homeserver directories of finished runs, for reading their logs. */
export const keepDirsVariable = 'WECHAT_E2E_KEEP_DIRS';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const serverName = 'localhost';
const readyTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;

/**
 * Runs Synapse's own entry point, but first asks Linux to SIGTERM it when the process that spawned it dies. That
 * covers what no cleanup hook can: a test worker killed outright (timeout, Ctrl-C, crash) would otherwise leave
 * a homeserver running. Where prctl is unavailable (not Linux), the exit hook and the tests' cleanup still apply.
 */
const launcher = `
import ctypes, os, runpy, signal, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
except (AttributeError, OSError):
    pass
if os.getppid() != int(os.environ["WECHAT_E2E_PARENT_PID"]):
    sys.exit("synapse launcher: the process that started Synapse is already gone")
runpy.run_module("synapse.app.homeserver", run_name="__main__", alter_sys=True)
`;

export interface SynapseOptions {
  /** Appservice registration files for `app_service_config_files`. */
  readonly registrationFiles: readonly string[];
  /** Keeps the homeserver's files (database, keys, logs) here. Default: a new temporary directory, deleted by `stop()`. */
  readonly workDir?: string;
  /** Default: a free loopback port. Pass one when a file that must name the homeserver is written before the start. */
  readonly port?: number;
  /** Default: $WECHAT_E2E_SYNAPSE_PYTHON, else whatever `.ci/synapse.sh` provisions. */
  readonly python?: string;
}

export interface RegisteredUser {
  readonly userId: string;
  readonly accessToken: string;
  readonly deviceId: string;
}

export interface Synapse {
  /** `http://127.0.0.1:<port>`, without a trailing slash. Stays the same across `restart()`. */
  readonly baseUrl: string;
  readonly serverName: string;
  readonly workDir: string;
  readonly pid: number | undefined;
  /** Milliseconds from spawning Synapse until `/_matrix/client/versions` answered, for the latest (re)start. */
  readonly startupMs: number;
  /** Creates a user through the shared-secret admin API (`/_synapse/admin/v1/register`). */
  registerUser(localpart: string, password: string, options?: { readonly admin?: boolean }): Promise<RegisteredUser>;
  /** Stops Synapse and starts it again on the same directory, database and port. */
  restart(): Promise<void>;
  /** Stops Synapse (SIGTERM, then SIGKILL) and deletes a directory it created. Safe to call twice. */
  stop(): Promise<void>;
  /** The last lines of homeserver.log and of Synapse's own stdout/stderr. */
  logTail(lines?: number): string;
}

/** The python to run Synapse with: the environment variable, else `.ci/synapse.sh` (which installs it on first use). */
export async function resolveSynapsePython(): Promise<string> {
  const fromEnv = process.env[synapsePythonVariable];
  if (fromEnv) return fromEnv;
  const script = join(repositoryRoot, '.ci', 'synapse.sh');
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  const python = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || python === '') {
    throw new Error(`${script} failed (exit ${code}); its messages are above. Or set ${synapsePythonVariable}.`);
  }
  return python;
}

export async function startSynapse(options: SynapseOptions): Promise<Synapse> {
  const python = options.python ?? (await resolveSynapsePython());
  const ownsDir = options.workDir === undefined;
  const dir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'wechat-e2e-synapse-')));
  await mkdir(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const sharedSecret = randomBytes(16).toString('hex');
  const configFile = join(dir, 'homeserver.yaml');
  const homeserverLog = join(dir, 'homeserver.log');
  const consoleLog = join(dir, 'console.log');
  await writeFile(configFile, homeserverConfig({ dir, port, sharedSecret, registrationFiles: options.registrationFiles }));
  await writeFile(join(dir, 'log.config'), logConfig(homeserverLog));

  const logTail = (lines = 40): string =>
    [homeserverLog, consoleLog]
      .filter(file => existsSync(file))
      .map(
        file => `--- ${file} (last ${lines} lines)\n${readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`,
      )
      .join('\n');

  let child: ChildProcess | undefined;
  let startupMs = 0;
  // Last resort when the test process exits without cleaning up: only synchronous work can run here.
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };

  const launch = async (): Promise<void> => {
    const started = performance.now();
    // Synapse's own stdout/stderr go straight to a file: nothing to drain, and it survives for the log tail.
    const output = openSync(consoleLog, 'a');
    const spawned = spawn(python, ['-c', launcher, '-c', configFile], {
      cwd: dir,
      stdio: ['ignore', output, output],
      env: { ...process.env, WECHAT_E2E_PARENT_PID: String(process.pid), PYTHONUNBUFFERED: '1' },
    });
    closeSync(output);
    child = spawned;
    const exited = new Promise<string>(resolve => {
      spawned.once('exit', (code, signal) => resolve(`exited (code ${code}, signal ${signal})`));
      spawned.once('error', error => resolve(`could not be run (${error.message})`));
    });
    try {
      await waitUntilReady(baseUrl, exited);
    } catch (error) {
      await terminate(spawned);
      throw new Error(`Synapse at ${baseUrl} did not become ready: ${(error as Error).message}\n${logTail()}`);
    }
    startupMs = Math.round(performance.now() - started);
  };

  const removeDir = async (): Promise<void> => {
    if (!ownsDir) return;
    if (process.env[keepDirsVariable]) console.info(`synapse: kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  };

  process.on('exit', killOnExit);
  try {
    // The signing key is made once per directory, so a restarted homeserver keeps its identity.
    const signingKey = join(dir, `${serverName}.signing.key`);
    if (!existsSync(signingKey)) await writeFile(signingKey, newSigningKey());
    await launch();
  } catch (error) {
    process.off('exit', killOnExit);
    await removeDir();
    throw error;
  }

  let stopped = false;
  return {
    baseUrl,
    serverName,
    workDir: dir,
    get pid() {
      return child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    get startupMs() {
      return startupMs;
    },
    registerUser: (localpart, password, { admin = false } = {}) =>
      registerWithSharedSecret(baseUrl, sharedSecret, localpart, password, admin),
    async restart() {
      if (stopped) throw new Error('restart() after stop()');
      if (child) await terminate(child);
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child) await terminate(child);
      process.off('exit', killOnExit);
      await removeDir();
    },
    logTail,
  };
}

async function waitUntilReady(baseUrl: string, exited: Promise<string>): Promise<void> {
  const deadline = performance.now() + readyTimeoutMs;
  let exitReason: string | undefined;
  void exited.then(reason => {
    exitReason = reason;
  });
  let lastProblem = 'no answer yet';
  while (performance.now() < deadline) {
    if (exitReason) throw new Error(`Synapse ${exitReason} before it answered`);
    try {
      const response = await fetch(`${baseUrl}/_matrix/client/versions`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = String((error as Error).cause ?? error);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`/_matrix/client/versions did not answer within ${readyTimeoutMs / 1000} s (last: ${lastProblem})`);
}

/** SIGTERM, then SIGKILL if Synapse is still running after `stopTimeoutMs`. Resolves once the process is gone. */
async function terminate(child: ChildProcess): Promise<void> {
  // No pid: it never started. An exit code or signal: it has already ended.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A signing key in Synapse's file format (`ed25519 <key id> <unpadded base64 seed>`), as `--generate-keys`
 * writes it. Made here because starting Python for that alone costs about 1.5 s per homeserver.
 */
function newSigningKey(): string {
  const seed = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }).d ?? '';
  const unpaddedBase64 = Buffer.from(seed, 'base64url').toString('base64').replace(/=+$/, '');
  return `ed25519 a_${randomBytes(3).toString('hex')} ${unpaddedBase64}\n`;
}

async function registerWithSharedSecret(
  baseUrl: string,
  secret: string,
  localpart: string,
  password: string,
  admin: boolean,
): Promise<RegisteredUser> {
  const url = `${baseUrl}/_synapse/admin/v1/register`;
  const nonceResponse = await fetch(url);
  if (!nonceResponse.ok) throw new Error(`GET ${url}: HTTP ${nonceResponse.status} ${await nonceResponse.text()}`);
  const { nonce } = (await nonceResponse.json()) as { nonce: string };
  const mac = createHmac('sha1', secret)
    .update(`${nonce}\0${localpart}\0${password}\0${admin ? 'admin' : 'notadmin'}`)
    .digest('hex');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nonce, username: localpart, password, admin, mac }),
  });
  if (!response.ok) throw new Error(`registering ${localpart}: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user_id: string; access_token: string; device_id: string };
  return { userId: body.user_id, accessToken: body.access_token, deviceId: body.device_id };
}

interface HomeserverConfigInput {
  readonly dir: string;
  readonly port: number;
  readonly sharedSecret: string;
  readonly registrationFiles: readonly string[];
}

/** A throw-away, loopback-only homeserver: no federation, no rate limits, fast password hashing. */
function homeserverConfig({ dir, port, sharedSecret, registrationFiles }: HomeserverConfigInput): string {
  const unlimited = { per_second: 9999, burst_count: 9999 };
  const config = {
    server_name: serverName,
    public_baseurl: `http://127.0.0.1:${port}/`,
    listeners: [
      {
        port,
        bind_addresses: ['127.0.0.1'],
        type: 'http',
        tls: false,
        x_forwarded: false,
        resources: [{ names: ['client'], compress: false }],
      },
    ],
    database: { name: 'sqlite3', args: { database: join(dir, 'homeserver.db') } },
    log_config: join(dir, 'log.config'),
    media_store_path: join(dir, 'media_store'),
    max_upload_size: '100M',
    signing_key_path: join(dir, `${serverName}.signing.key`),
    macaroon_secret_key: randomBytes(16).toString('hex'),
    form_secret: randomBytes(16).toString('hex'),
    registration_shared_secret: sharedSecret,
    enable_registration: true,
    enable_registration_without_verification: true,
    // Password hashing at the default cost takes about a second per login; tests log in a lot.
    bcrypt_rounds: 4,
    report_stats: false,
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    federation_domain_whitelist: [],
    url_preview_enabled: false,
    presence: { enabled: true },
    // A fresh initial /sync after every login, rather than a cached one from a previous client.
    caches: { sync_response_cache_duration: 0 },
    app_service_config_files: [...registrationFiles],
    rc_message: unlimited,
    rc_registration: unlimited,
    rc_login: { address: unlimited, account: unlimited, failed_attempts: unlimited },
    rc_admin_redaction: unlimited,
    rc_joins: { local: unlimited, remote: unlimited },
    rc_joins_per_room: unlimited,
    rc_invites: { per_room: unlimited, per_user: unlimited, per_issuer: unlimited },
    rc_key_requests: unlimited,
    rc_media_create: unlimited,
    rc_presence: { per_user: unlimited },
    rc_room_creation: unlimited,
    rc_user_directory: unlimited,
    experimental_features: {
      // To-device messages and the encryption extensions in appservice transactions, as the bridge's E2EE needs.
      msc2409_to_device_messages_enabled: true,
      msc3202_transaction_extensions: true,
    },
  };
  return `# Throw-away Synapse for the bridge's end-to-end tests, written by e2e/harness/synapse.ts. NOT for production.\n${stringify(config)}`;
}

/** Everything to homeserver.log: Synapse logs a lot at INFO, and test output should stay readable. */
function logConfig(file: string): string {
  return stringify({
    version: 1,
    formatters: { precise: { format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s' } },
    filters: { context: { '()': 'synapse.logging.context.LoggingContextFilter', request: '' } },
    handlers: { file: { class: 'logging.FileHandler', formatter: 'precise', filename: file, filters: ['context'] } },
    loggers: { 'synapse.storage.SQL': { level: 'WARNING' } },
    root: { level: 'INFO', handlers: ['file'] },
    disable_existing_loggers: false,
  });
}
