/**
 * Keeps a page's model current while the page changes: builds run one at a time, and changes noticed while a
 * build runs (between its slices, or before anyone listens) ask for exactly one more build after it, so no change
 * is lost and a burst of changes costs one build, not one each. Generic over what is built, so it is tested
 * without a DOM (tests/unit/page-model/live.test.ts); the content script passes buildPageModelAsync.
 */
export class LiveBuild<T> {
  private building = false;
  private pending = false;
  private listener: ((value: T) => void) | null = null;

  constructor(
    private readonly build: () => Promise<T>,
    private readonly signal: AbortSignal,
    /** A rebuild that threw (the first build's errors go to its caller). */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The first build. Changes reported while it runs are kept for `listen`. */
  async first(): Promise<T> {
    this.building = true;
    try {
      return await this.build();
    } finally {
      this.building = false;
    }
  }

  /** Receives every later build; a change reported before this call is built now. */
  listen(listener: (value: T) => void): void {
    this.listener = listener;
    if (this.pending && !this.signal.aborted) void this.rebuild();
  }

  /** The page changed (from the batched observer). */
  changed(): void {
    if (this.signal.aborted) return;
    if (this.building || this.listener === null) {
      this.pending = true;
      return;
    }
    void this.rebuild();
  }

  private async rebuild(): Promise<void> {
    if (this.building) {
      this.pending = true;
      return;
    }
    this.building = true;
    try {
      do {
        this.pending = false;
        const value = await this.build();
        if (this.signal.aborted || this.listener === null) return;
        this.listener(value);
      } while (this.pending);
    } catch (error) {
      if (!this.signal.aborted) this.onError(error);
    } finally {
      this.building = false;
    }
  }
}
