import { createProviderRegistry, type ProviderRegistry } from '@wechat/provider-api';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { testProvider } from '../testing/test-provider.ts';
import { runCli } from './run-cli.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(
  argv: readonly string[],
  {
    files = {},
    env = {},
    providers = createProviderRegistry(),
  }: {
    files?: Record<string, string>;
    env?: Record<string, string>;
    providers?: ProviderRegistry;
  } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: text => {
      stdout += text;
    },
    stderr: text => {
      stderr += text;
    },
    env,
    providers,
    readFile: async path => {
      const contents = files[path];
      if (contents === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return contents;
    },
  });
  return { code, stdout, stderr };
}

const validConfig = `homeserver:
  address: https://matrix.example.org
  domain: example.org
appservice:
  address: http://bridge:29350
  as_token: as-token
  hs_token: hs-token
`;

describe('runCli', () => {
  it.each([[[]], [['help']], [['--help']], [['-h']], [['validate-config', '--help']]])('prints the usage for %j', async argv => {
    const result = await run(argv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: wechat-bridge <command>/);
    for (const command of ['generate-config', 'generate-registration', 'validate-config', 'help']) {
      expect(result.stdout).toContain(`  ${command}`);
    }
  });

  it.each([
    [['frobnicate'], "wechat-bridge: unknown command 'frobnicate'"],
    [['validate-config', '--verbose'], "Unknown option '--verbose'"],
    [['validate-config'], 'wechat-bridge: validate-config needs --config FILE'],
    [['generate-registration'], 'wechat-bridge: generate-registration needs --config FILE'],
    [['generate-config', '--config', 'x.yaml'], 'wechat-bridge: generate-config takes no --config'],
    [['validate-config', 'config.yaml'], "wechat-bridge: unexpected argument 'config.yaml'"],
    [['validate-config', '--config'], "Option '-c, --config <value>' argument missing"],
  ])('rejects %j with the usage on stderr and exit code 2', async (argv, problem) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(problem);
    expect(result.stderr).toContain('Usage: wechat-bridge <command>');
  });

  describe('generate-config', () => {
    it('prints YAML with fresh, distinct random tokens', async () => {
      const first = await run(['generate-config']);
      const second = await run(['generate-config']);
      expect(first.code).toBe(0);
      expect(first.stderr).toBe('');
      const tokens = [first, second].flatMap(({ stdout }) => {
        const { as_token, hs_token } = parse(stdout).appservice;
        return [as_token, hs_token];
      });
      for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(tokens).size).toBe(4);
    });

    it('writes a config that validates once the homeserver is filled in', async () => {
      const generated = (await run(['generate-config'])).stdout;
      const edited = generated
        .replace('address: ""', 'address: https://matrix.example.org')
        .replace('domain: ""', 'domain: example.org');
      const rejected = await run(['validate-config', '--config', 'config.yaml'], { files: { 'config.yaml': generated } });
      expect(rejected.code).toBe(1);
      const accepted = await run(['validate-config', '-c', 'config.yaml'], { files: { 'config.yaml': edited } });
      expect(accepted).toEqual({
        code: 0,
        stdout:
          'config OK\nhomeserver example.org (https://matrix.example.org); database pglite at ./data/db; providers: none enabled\n',
        stderr: '',
      });
    });
  });

  describe('validate-config', () => {
    it('names the enabled providers and failover in the summary, never a secret', async () => {
      const config = `${validConfig}database:
  type: postgres
  uri: postgres://bridge:db-password@db:5432/bridge
providers:
  failover:
    enabled: true
  wecom:
    enabled: true
    corp_id: ww1
    app_secret_file: /run/secrets/wecom
  ipad:
    enabled: false
`;
      const result = await run(['validate-config', '--config', 'config.yaml'], {
        files: { 'config.yaml': config, '/run/secrets/wecom': 'app-secret' },
        providers: createProviderRegistry([testProvider]),
      });
      expect(result).toEqual({
        code: 0,
        stdout:
          'config OK\nhomeserver example.org (https://matrix.example.org); database postgres; providers: wecom, failover on\n',
        stderr: '',
      });
    });

    it('lists every problem with its key path on stderr, without a stack trace', async () => {
      const result = await run(['validate-config', '--config', 'config.yaml'], {
        files: {
          'config.yaml': 'homeserver:\n  domain: example.org\nappservice:\n  address: bridge\n  as_token: a\n  hs_token: b\n',
        },
      });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: [
          'config.yaml is not valid:',
          '  - homeserver.address: Invalid type: Expected string but received undefined',
          '  - appservice.address: must be an http:// or https:// URL, e.g. http://localhost:29350',
          '',
        ].join('\n'),
      });
    });

    it('reports YAML errors with file, line and column', async () => {
      const result = await run(['validate-config', '--config', 'config.yaml'], {
        files: { 'config.yaml': 'homeserver:\n\tdomain: x\n' },
      });
      expect(result).toEqual({ code: 1, stdout: '', stderr: 'config.yaml:2:1: Tabs are not allowed as indentation\n' });
    });

    it('reports a missing config file', async () => {
      const result = await run(['validate-config', '--config', 'nope.yaml']);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe("nope.yaml: cannot read the config file: ENOENT: no such file or directory, open 'nope.yaml'\n");
    });

    it('reports a provider section no installed provider can validate', async () => {
      const result = await run(['validate-config', '--config', 'config.yaml'], {
        files: { 'config.yaml': `${validConfig}providers:\n  ipad:\n    enabled: true\n` },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("  - providers.ipad: No provider with id 'ipad': no providers are registered.");
    });

    it('takes secrets from the environment', async () => {
      const result = await run(['validate-config', '--config', 'config.yaml'], {
        files: { 'config.yaml': validConfig.replace('  hs_token: hs-token\n', '') },
        env: { WECHAT_BRIDGE_APPSERVICE_HS_TOKEN: 'hs-from-env' },
      });
      expect(result.code).toBe(0);
    });
  });

  describe('generate-registration', () => {
    it('prints the registration for the config on stdout', async () => {
      const result = await run(['generate-registration', '--config', 'config.yaml'], { files: { 'config.yaml': validConfig } });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(parse(result.stdout)).toMatchObject({
        id: 'wechat',
        url: 'http://bridge:29350',
        as_token: 'as-token',
        hs_token: 'hs-token',
        sender_localpart: 'wechatbot',
        namespaces: { users: [{ exclusive: true, regex: '@wechat_.+:example\\.org$|@wechatbot:example\\.org$' }] },
      });
    });

    it('prints nothing on stdout when the config is invalid', async () => {
      const result = await run(['generate-registration', '--config', 'config.yaml'], {
        files: { 'config.yaml': 'homeserver: {}\n' },
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('config.yaml is not valid:');
    });
  });

  it('prints the stack of an unexpected error, which is a bug', async () => {
    const broken: ProviderRegistry = {
      ...createProviderRegistry(),
      get: () => {
        throw new RangeError('broken registry');
      },
    };
    const result = await run(['validate-config', '--config', 'config.yaml'], {
      files: { 'config.yaml': `${validConfig}providers:\n  ipad:\n    enabled: true\n` },
      providers: broken,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^wechat-bridge: unexpected error \(a bug; please report it\):\nRangeError: broken registry\n\s+at /,
    );
  });
});
