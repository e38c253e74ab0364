#!/usr/bin/env node
// The `wechat-bridge` executable. Everything testable lives in runCli; this file only binds it to the process.
import { readFile } from 'node:fs/promises';
import { createProviderRegistry } from '@wechat/provider-api';
import { ipadProvider } from '@wechat/provider-ipad';
import { pchookProvider } from '@wechat/provider-pchook';
import { wecomProvider } from '@wechat/provider-wecom';
import { runCli } from './cli/run-cli.ts';

const shutdown = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second signal while stopping means "now": the process ends without waiting.
    if (shutdown.signal.aborted) process.exit(130);
    shutdown.abort();
  });
}
// One failing task must never take every bridged chat down (matrix-bot-sdk defect b, matrix-side.md §1.8).
process.on('unhandledRejection', reason => {
  process.stderr.write(`${JSON.stringify({ level: 'error', message: 'unhandled promise rejection', error: String(reason) })}\n`);
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  env: process.env,
  readFile: path => readFile(path, 'utf8'),
  // First-party providers; others load from `providers.<id>.module`.
  providers: createProviderRegistry([wecomProvider, ipadProvider, pchookProvider]),
  // Resolved from the application, so packages installed next to the bridge are found.
  importModule: moduleName => import(moduleName),
  shutdownSignal: shutdown.signal,
});
