// Adapters in the Python engine. What is loaded belongs to one engine process: after a restart the
// set is empty again and adapters are loaded on first use.
import { EngineCallError } from '../engineClient/engineProcess';
import type { EngineSupervisor } from '../engineClient/engineSupervisor';
import type { AdapterDriver } from './adapterDriver';

export class EngineAdapterDriver implements AdapterDriver {
  readonly label = 'engine';
  private loaded = new Set<string>();
  private incarnation = -1;

  constructor(private readonly engine: EngineSupervisor) {}

  isLoaded(adapter: string): boolean {
    // While the engine restarts, the old process's adapters are gone and the new one has none yet.
    return this.engine.state.state === 'ready' && this.current().has(adapter);
  }

  async load(adapter: string, adapterPath: string): Promise<void> {
    if (this.isLoaded(adapter)) return;
    const engine = await this.engine.ready(); // loads into the process that will serve, even mid-restart
    try {
      await engine.request('load_adapter', { name: adapter, path: adapterPath });
    } catch (error) {
      if (!(error instanceof EngineCallError && error.code === 'adapter_exists')) throw error;
    }
    this.current().add(adapter);
  }

  async unload(adapter: string): Promise<void> {
    if (!this.isLoaded(adapter)) return;
    try {
      await this.engine.call('unload_adapter', { name: adapter });
    } catch (error) {
      if (!(error instanceof EngineCallError && error.code === 'unknown_adapter')) throw error;
    }
    this.current().delete(adapter);
  }

  private current(): Set<string> {
    if (this.incarnation !== this.engine.incarnation) {
      this.incarnation = this.engine.incarnation;
      this.loaded = new Set();
    }
    return this.loaded;
  }
}
