import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('the wechat-bridge executable', () => {
  it('runs from its TypeScript sources in Node and prints nothing but YAML on stdout', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=dev-source', 'apps/bridge/src/cli.ts', 'generate-config'],
      { cwd: repositoryRoot },
    );
    expect(stdout.startsWith('# wechat-bridge configuration')).toBe(true);
    expect(parse(stdout)).toMatchObject({ appservice: { port: 29350, id: 'wechat' } });
  });

  it('sets the exit code for a bad command line', async () => {
    const error = await promisify(execFile)(
      process.execPath,
      ['--conditions=dev-source', 'apps/bridge/src/cli.ts', 'frobnicate'],
      {
        cwd: repositoryRoot,
      },
    ).catch((caught: unknown) => caught as { code: number; stdout: string; stderr: string });
    expect(error).toMatchObject({ code: 2, stdout: '' });
    expect((error as { stderr: string }).stderr).toContain("unknown command 'frobnicate'");
  });

  it('runs through the dev launcher that `pnpm bridge` uses, with nothing but YAML on stdout', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['apps/bridge/bin/bridge-dev.mjs', 'generate-config'], {
      cwd: repositoryRoot,
    });
    expect(parse(stdout)).toMatchObject({ appservice: { port: 29350 } });
  });

  it('passes the exit code through the dev launcher', async () => {
    const error = await promisify(execFile)(process.execPath, ['apps/bridge/bin/bridge-dev.mjs', 'frobnicate'], {
      cwd: repositoryRoot,
    }).catch((caught: unknown) => caught as { code: number });
    expect(error).toMatchObject({ code: 2 });
  });
});
