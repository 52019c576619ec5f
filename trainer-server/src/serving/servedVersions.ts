// Which version the gateway serves, and hot-swapping it. A request takes a lease on the version that
// is live when it starts; the lease keeps that adapter loaded until the request ends, so promotion
// and rollback never pull weights from under a running request. Switching live is: load the new
// adapter on every driver, then move the pointer; the old adapter is unloaded once no lease holds it.
// Loads and unloads run one at a time (a promise chain), so they never interleave.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LIVE_MODEL_NAME, type VersionRecord } from '../../../extension/protocol/trainerProtocol';
import type { LogFn } from '../engineClient/engineSupervisor';
import type { VersionRegistry } from '../versions/versionRegistry';
import type { AdapterDriver } from './adapterDriver';

export interface VersionLease {
  version: VersionRecord;
  /** The adapter name to give the engine, or null for the base model (v1.0). */
  adapter: string | null;
  release(): void;
}

export class UnknownModelError extends Error {}

export class ServedVersions {
  private readonly leases = new Map<string, number>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly registry: VersionRegistry, private readonly drivers: AdapterDriver[], private readonly log: LogFn) {}

  /** `autodidact` is the live version; `autodidact-v1.2` or `v1.2` name one. */
  acquire(model: string): VersionLease {
    const version = model === LIVE_MODEL_NAME ? this.registry.live : this.registry.get(model);
    if (!version) throw new UnknownModelError(`The model '${model}' does not exist`);
    this.leases.set(version.name, (this.leases.get(version.name) ?? 0) + 1);
    let released = false;
    return {
      version,
      adapter: version.adapterPath ? version.model : null,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.leases.get(version.name) ?? 1) - 1;
        if (left > 0) this.leases.set(version.name, left);
        else {
          this.leases.delete(version.name);
          this.unloadIfIdle(version);
        }
      },
    };
  }

  /** Makes sure the lease's adapter is loaded on the driver of the backend that serves it (default: the engine, the first driver). */
  async ensureLoaded(lease: VersionLease, driver: AdapterDriver = this.drivers[0]): Promise<void> {
    const { version } = lease;
    if (!version.adapterPath || driver.isLoaded(version.model)) return;
    await this.serialized(async () => {
      if (!driver.isLoaded(version.model)) await this.loadOn(driver, version);
    });
  }

  /**
   * Loads `version` on every driver, then calls `commit` (which records it as live) — the swap itself.
   * If any driver fails, nothing switches and the error is thrown. Returns the swap time in ms.
   */
  async switchLive(version: VersionRecord, commit: () => void): Promise<number> {
    const started = performance.now();
    const previous = this.registry.live;
    await this.serialized(async () => {
      const loadedHere: AdapterDriver[] = [];
      try {
        for (const driver of this.drivers) {
          if (version.adapterPath && !driver.isLoaded(version.model)) {
            await this.loadOn(driver, version);
            loadedHere.push(driver);
          }
        }
        commit();
      } catch (error) {
        for (const driver of loadedHere) await driver.unload(version.model).catch(() => undefined);
        throw error;
      }
    });
    const swapMs = performance.now() - started;
    if (previous.name !== version.name) this.unloadIfIdle(previous);
    return swapMs;
  }

  /** Loads the live adapter on every driver; run after start so the first request does not pay for it. */
  async warmLive(): Promise<void> {
    const live = this.registry.live;
    if (!live.adapterPath) return;
    await this.serialized(async () => {
      for (const driver of this.drivers) if (!driver.isLoaded(live.model)) await this.loadOn(driver, live);
    });
  }

  private unloadIfIdle(version: VersionRecord): void {
    if (!version.adapterPath) return;
    void this.serialized(async () => {
      // Checked inside the chain: a lease or a switch back may have arrived while waiting.
      if (this.leases.has(version.name) || this.registry.live.name === version.name) return;
      for (const driver of this.drivers) {
        if (driver.isLoaded(version.model)) await driver.unload(version.model);
      }
    }).catch((error: Error) => this.log('warn', `could not unload ${version.model}: ${error.message}`));
  }

  /** Checks the weights are the ones the registry recorded before anything serves them. */
  private async loadOn(driver: AdapterDriver, version: VersionRecord): Promise<void> {
    const adapterPath = version.adapterPath as string;
    if (version.adapterSha256) {
      const actual = createHash('sha256').update(await fs.promises.readFile(path.join(adapterPath, 'adapter_model.safetensors'))).digest('hex');
      if (actual !== version.adapterSha256) throw new Error(`${version.model}: adapter weights at ${adapterPath} hash to ${actual}, the registry recorded ${version.adapterSha256}; refusing to serve them`);
    }
    await driver.load(version.model, adapterPath);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
