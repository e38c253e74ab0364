import * as v from 'valibot';

/**
 * The group's own config section, as a host passes it to `createSession`: empty. The members' sections and
 * `providers.failover` are given to `createFailoverProvider` instead, so a host keeps validating each section
 * with its own provider's schema.
 */
export const failoverSessionConfigSchema = v.strictObject({});

export type FailoverSessionConfig = v.InferOutput<typeof failoverSessionConfigSchema>;
