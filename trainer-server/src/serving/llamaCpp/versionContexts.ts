// One llama.cpp context per served version: llama.cpp applies a LoRA adapter to a whole context, so the
// base (v1.0) and each adapter get their own, all on one copy of the GGUF base weights. A context has a
// fixed number of sequences (slots); requests beyond that wait for a free one, and the ones running are
// evaluated together in one batch. This is the llama.cpp AdapterDriver: ServedVersions loads the new
// version here before a swap commits and unloads the old one only after its last request has ended, so
// a request in flight during a swap keeps its context to the end.
import type { LlamaContext, LlamaContextSequence } from 'node-llama-cpp';
import type { AdapterDriver } from '../adapterDriver';
import type { GgufLoraConverter } from './ggufLoraFiles';
import type { LoadedLlamaCpp } from './llamaCppModel';

export const DEFAULT_CONTEXT_SIZE = 2048;
export const DEFAULT_PARALLEL = 4;

/**
 * A context, its sequences and the requests waiting for one. The sequences are taken once and reused:
 * a finished request's sequence has its cache cleared and goes to the next waiting request (disposing a
 * sequence frees its slot only later, asynchronously, so a new one cannot be had at once).
 */
export class VersionContext {
  private readonly free: LlamaContextSequence[] = [];
  private readonly waiting: Array<(sequence: LlamaContextSequence | null) => void> = [];

  constructor(readonly context: LlamaContext, readonly loraFile: string | null) {
    while (context.sequencesLeft > 0) this.free.push(context.getSequence());
  }

  /** A free sequence, waiting for one if all are busy; null when `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<LlamaContextSequence | null> {
    if (signal.aborted) return Promise.resolve(null);
    const ready = this.free.pop();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const index = this.waiting.indexOf(take);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(null);
      };
      const take = (sequence: LlamaContextSequence | null): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(sequence);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(take);
    });
  }

  /** Clears the sequence's cache and hands it to the next waiting request (or back to the free ones). */
  async release(sequence: LlamaContextSequence): Promise<void> {
    await sequence.clearHistory();
    const next = this.waiting.shift();
    if (next) next(sequence);
    else this.free.push(sequence);
  }

  async close(): Promise<void> {
    for (const waiter of this.waiting.splice(0)) waiter(null);
    await this.context.dispose();
  }
}

export interface VersionContextsOptions {
  threads?: number;
  contextSize?: number;
  parallel?: number;
}

export class LlamaCppVersionContexts implements AdapterDriver {
  readonly label = 'llama.cpp';
  private readonly ready = new Map<string, VersionContext>();
  private readonly pending = new Map<string, Promise<VersionContext>>();
  private base: Promise<VersionContext> | undefined;

  constructor(private readonly runtime: LoadedLlamaCpp, private readonly converter: GgufLoraConverter, private readonly options: VersionContextsOptions = {}) {}

  isLoaded(adapter: string): boolean {
    return this.ready.has(adapter);
  }

  /** Converts the adapter to a GGUF LoRA (once) and opens its context; concurrent loads of one name share the work. */
  async load(adapter: string, adapterPath: string): Promise<void> {
    await this.contextFor(adapter, adapterPath);
  }

  async unload(adapter: string): Promise<void> {
    const context = this.ready.get(adapter);
    if (!context) return;
    this.ready.delete(adapter);
    await context.close();
  }

  /** The context serving `adapter` (null: the base), opening it when needed. */
  contextFor(adapter: string | null, adapterPath?: string | null): Promise<VersionContext> {
    if (adapter === null) return (this.base ??= this.open(null));
    const ready = this.ready.get(adapter);
    if (ready) return Promise.resolve(ready);
    if (!adapterPath) return Promise.reject(new Error(`${adapter} is not loaded in llama.cpp and has no adapter folder`));
    let opening = this.pending.get(adapter);
    if (!opening) {
      opening = this.converter.fileFor(adapter, adapterPath).then((file) => this.open(file)).then((context) => {
        this.ready.set(adapter, context);
        return context;
      }).finally(() => this.pending.delete(adapter));
      this.pending.set(adapter, opening);
    }
    return opening;
  }

  /** Every open context, the base's included (for shutdown). */
  async closeAll(): Promise<void> {
    const all = [...this.ready.values(), ...(this.base ? [await this.base] : [])];
    this.ready.clear();
    this.base = undefined;
    await Promise.all(all.map((context) => context.close()));
  }

  private async open(loraFile: string | null): Promise<VersionContext> {
    const context = await this.runtime.model.createContext({
      contextSize: this.options.contextSize ?? DEFAULT_CONTEXT_SIZE,
      sequences: this.options.parallel ?? DEFAULT_PARALLEL,
      ...(this.options.threads ? { threads: this.options.threads } : {}),
      ...(loraFile ? { lora: { adapters: [{ filePath: loraFile }] } } : {}),
    });
    return new VersionContext(context, loraFile);
  }
}
