import { randomBytes } from 'node:crypto';
import { renderExampleConfig } from '../../config/example-config.ts';
import type { CliIo } from '../cli-io.ts';

/** 32 random bytes as hex: 256 bits, and plain in YAML, shells and URLs alike. */
function randomToken(): string {
  return randomBytes(32).toString('hex');
}

export function generateConfig(io: Pick<CliIo, 'stdout'>): void {
  io.stdout(renderExampleConfig({ asToken: randomToken(), hsToken: randomToken() }));
}
