import type { RecordedLogEntry } from './recording-logger.ts';

/** Config keys whose string values the kit treats as secrets. */
export const secretKeyPattern = /secret|token|password|passwd|aes|key/i;
/** Shorter values ("a", "dev") would match innocent log text by accident. */
export const minimumSecretLength = 6;

/**
 * Collects the secret values of a config: every string (or string in an array) under a key that matches
 * `secretKeyPattern`, at any depth, at least `minimumSecretLength` characters long; plus `extra`.
 */
export function findSecrets(config: unknown, extra: readonly string[] = []): string[] {
  const found = new Set<string>();
  const seen = new WeakSet<object>();
  const visit = (value: unknown, secretKey: boolean): void => {
    if (typeof value === 'string') {
      if (secretKey && value.length >= minimumSecretLength) found.add(value);
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item, secretKey);
      return;
    }
    for (const [key, item] of Object.entries(value)) visit(item, secretKeyPattern.test(key));
  };
  visit(config, false);
  for (const secret of extra) if (secret.length > 0) found.add(secret);
  return [...found];
}

export interface SecretLeak {
  readonly entry: RecordedLogEntry;
  /** The secret, shortened so the failure message does not repeat it in full. */
  readonly secretHint: string;
}

/** Finds log entries that contain a secret, verbatim or URL-encoded (tokens leak most often inside URLs). */
export function findSecretLeaks(entries: readonly RecordedLogEntry[], secrets: readonly string[]): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  for (const entry of entries) {
    for (const secret of secrets) {
      if (entry.text.includes(secret) || entry.text.includes(encodeURIComponent(secret))) {
        leaks.push({ entry, secretHint: hint(secret) });
      }
    }
  }
  return leaks;
}

function hint(secret: string): string {
  return `${secret.slice(0, 2)}…${secret.slice(-2)} (${secret.length} characters)`;
}
