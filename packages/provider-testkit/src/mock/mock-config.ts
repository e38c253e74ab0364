import * as v from 'valibot';

/** `providers.mock`: the mock provider's config. */
export const mockConfigSchema = v.object({
  /**
   * The API token the mock world expects (`world.apiToken`). It plays the part of a real provider's secret: a
   * wrong one ends `start()` in `bad-credentials`, and the conformance kit checks that it is never logged.
   */
  token: v.pipe(v.string(), v.nonEmpty("is required (the mock world's apiToken)")),
});

export type MockConfigInput = v.InferInput<typeof mockConfigSchema>;
export type MockConfig = v.InferOutput<typeof mockConfigSchema>;
