#!/usr/bin/env node
// The `wechat-bridge` executable. Everything testable lives in runCli; this file only binds it to the process.
import { readFile } from 'node:fs/promises';
import { createProviderRegistry } from '@wechat/provider-api';
import { runCli } from './cli/run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  env: process.env,
  readFile: path => readFile(path, 'utf8'),
  // No provider package is part of this build yet, so every enabled provider section is reported as unknown.
  providers: createProviderRegistry(),
});
