#!/usr/bin/env node
// `pnpm bridge <command>` at the repository root runs this file (the app's `bridge` bin). It starts the CLI
// from its TypeScript sources, so development needs no build step.
//
// Why a bin and not a root package.json script: pnpm prints a "> package@ script" banner to stdout before
// every script, which would corrupt `pnpm bridge generate-config > config.yaml`. Bins run without a banner.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `wechat-bridge: running from sources needs Node.js 22.18 or newer (24 LTS recommended); this is ${process.version}.`,
  );
  process.exit(1);
}

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const child = spawn(
  process.execPath,
  ['--conditions=dev-source', '--disable-warning=ExperimentalWarning', cli, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// The child shares the terminal, so Ctrl-C reaches it directly; signals sent to this process alone are passed on.
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const signal of forwarded) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) {
    for (const name of forwarded) process.removeAllListeners(name);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
