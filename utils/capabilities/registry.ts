/**
 * The content script's feature manager (STYLE.md principle 2): each capability registers with an id, says where
 * it applies, and starts with an AbortSignal that ends with the page run. A capability that throws is reported
 * once, tagged with its id, and never stops the others.
 */

export interface Capability<Context> {
  id: string;
  /** Whether it should run for this page (namespace, action, settings…). */
  appliesTo(context: Context): boolean;
  /** Starts the capability; the signal aborts when the content script is torn down. */
  init(context: Context, signal: AbortSignal): void | Promise<void>;
  /** Called after the page model was rebuilt (live pages). */
  update?(context: Context, signal: AbortSignal): void | Promise<void>;
}

export interface CapabilityFailure {
  id: string;
  phase: 'init' | 'update';
  error: unknown;
}

export class CapabilityRegistry<Context> {
  private readonly capabilities: Capability<Context>[] = [];
  private readonly running = new Set<string>();
  private readonly failed = new Set<string>();

  constructor(private readonly report: (failure: CapabilityFailure) => void) {}

  register(capability: Capability<Context>): void {
    if (this.capabilities.some((c) => c.id === capability.id)) {
      throw new Error(`Capability "${capability.id}" is registered twice.`);
    }
    this.capabilities.push(capability);
  }

  async start(context: Context, signal: AbortSignal): Promise<string[]> {
    await Promise.all(this.capabilities.map(async (capability) => {
      if (signal.aborted || this.running.has(capability.id)) return;
      try {
        if (!capability.appliesTo(context)) return;
        this.running.add(capability.id);
        await capability.init(context, signal);
      } catch (error) {
        this.running.delete(capability.id);
        this.fail(capability.id, 'init', error);
      }
    }));
    return [...this.running];
  }

  async update(context: Context, signal: AbortSignal): Promise<void> {
    await Promise.all(this.capabilities.map(async (capability) => {
      if (signal.aborted || !this.running.has(capability.id) || !capability.update) return;
      try {
        await capability.update(context, signal);
      } catch (error) {
        this.fail(capability.id, 'update', error);
      }
    }));
  }

  private fail(id: string, phase: 'init' | 'update', error: unknown): void {
    // Logged once per capability: a failing feature on every mutation would flood the console.
    if (this.failed.has(id)) return;
    this.failed.add(id);
    this.report({ id, phase, error });
  }
}
