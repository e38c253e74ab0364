/** Thrown by `context.skip(reason)`: the case does not apply, and the runner reports it as skipped with the reason. */
export class ConformanceSkipSignal extends Error {
  override readonly name = 'ConformanceSkipSignal';
  readonly reason: string;
  constructor(reason: string) {
    super(`skipped: ${reason}`);
    this.reason = reason;
  }
}
