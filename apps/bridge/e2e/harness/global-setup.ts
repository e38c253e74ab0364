import type { TestProject } from 'vitest/node';
import { resolveSynapsePython } from './synapse.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The python that runs Synapse; tests pass it to `startSynapse`. */
    synapsePython: string;
  }
}

/**
 * Finds (or, on a machine without it, installs) Synapse once for the whole run, before any test file starts: the
 * first install takes about half a minute, which must not count against a test's or hook's timeout.
 */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('synapsePython', await resolveSynapsePython());
}
