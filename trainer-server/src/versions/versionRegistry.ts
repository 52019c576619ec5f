// The version history of one base model: v1.0 is the base itself, every promotion adds v1.N with
// N never used before (even after a rollback), and `live` says which one the gateway serves.
// Kept in versions.json, rewritten atomically on every change, so it survives any crash or restart.
import * as path from 'node:path';
import {
  modelNameOf, type BaseModelInfo, type EvalMetrics, type LiveChange, type ServedBy, type VersionRecord, type VersionsSnapshot,
} from '../../../extension/protocol/trainerProtocol';
import { readJsonIfExists, writeJsonAtomic } from '../home/atomicFile';

interface RegistryFile {
  schema: 1;
  baseModelId: string;
  live: string;
  nextMinor: number;
  nextRound: number;
  /** adapterPath is stored relative to the registry's folder, so the home can move. */
  versions: VersionRecord[];
  history: LiveChange[];
}

export const BASE_VERSION = 'v1.0';
const HISTORY_LIMIT = 1000;

export class VersionRegistry {
  private constructor(private readonly file: string, private data: RegistryFile, private readonly baseModel: BaseModelInfo) {}

  static open(file: string, baseModel: BaseModelInfo, now = Date.now()): VersionRegistry {
    const existing = readJsonIfExists<RegistryFile>(file);
    if (existing) {
      if (existing.schema !== 1 || !Array.isArray(existing.versions) || !existing.versions.some((v) => v.name === existing.live)) {
        throw new Error(`${file} is not a version registry this server understands (schema ${existing.schema})`);
      }
      return new VersionRegistry(file, existing, baseModel);
    }
    const base: VersionRecord = {
      name: BASE_VERSION, model: modelNameOf(BASE_VERSION), adapterPath: null, adapterSha256: null,
      parent: null, roundId: null, createdAt: now, metrics: null,
    };
    const data: RegistryFile = {
      schema: 1, baseModelId: baseModel.id, live: BASE_VERSION, nextMinor: 1, nextRound: 1,
      versions: [base], history: [{ at: now, from: null, to: BASE_VERSION, reason: 'initial' }],
    };
    const registry = new VersionRegistry(file, data, baseModel);
    registry.save();
    return registry;
  }

  get live(): VersionRecord {
    return this.resolve(this.data.versions.find((v) => v.name === this.data.live) as VersionRecord);
  }

  get(name: string): VersionRecord | undefined {
    const found = this.data.versions.find((v) => v.name === name || v.model === name);
    return found && this.resolve(found);
  }

  private servedBy: ((version: VersionRecord) => ServedBy) | undefined;

  /** Snapshots (what clients see) say which backend serves each version; backendChoice.describeServing decides. */
  describeServingWith(describe: (version: VersionRecord) => ServedBy): void {
    this.servedBy = describe;
  }

  snapshot(): VersionsSnapshot {
    const describe = this.servedBy;
    return {
      live: this.data.live,
      versions: this.data.versions.map((v) => this.resolve(v)).map((v) => (describe ? { ...v, servedBy: describe(v) } : v)),
      history: [...this.data.history],
      baseModel: this.baseModel,
    };
  }

  /** Round ids are never reused either; `atLeast` lets the caller skip ids found on disk. */
  allocateRoundId(atLeast = 0): string {
    const n = Math.max(this.data.nextRound, atLeast);
    this.data.nextRound = n + 1;
    this.save();
    return `round-${String(n).padStart(4, '0')}`;
  }

  /** Burns the next version name before its adapter is loaded, so a failed promotion never reuses it. */
  reserveVersionName(): string {
    const name = `v1.${this.data.nextMinor}`;
    this.data.nextMinor += 1;
    this.save();
    return name;
  }

  addPromoted(record: { name: string; adapterPath: string; adapterSha256: string; parent: string; roundId: string; metrics: EvalMetrics | null }, now = Date.now()): VersionRecord {
    const stored: VersionRecord = {
      ...record, model: modelNameOf(record.name), adapterPath: path.relative(path.dirname(this.file), record.adapterPath), createdAt: now,
    };
    this.data.versions.push(stored);
    this.switchLive(record.name, 'promotion', now);
    return this.resolve(stored);
  }

  rollback(name: string, now = Date.now()): VersionRecord {
    const target = this.get(name);
    if (!target) throw new Error(`no version named ${name}; known: ${this.data.versions.map((v) => v.name).join(', ')}`);
    this.switchLive(target.name, 'rollback', now);
    return target;
  }

  private switchLive(name: string, reason: LiveChange['reason'], now: number): void {
    this.data.history.push({ at: now, from: this.data.live, to: name, reason });
    if (this.data.history.length > HISTORY_LIMIT) this.data.history.splice(0, this.data.history.length - HISTORY_LIMIT);
    this.data.live = name;
    this.save();
  }

  private resolve(record: VersionRecord): VersionRecord {
    return { ...record, adapterPath: record.adapterPath && path.resolve(path.dirname(this.file), record.adapterPath) };
  }

  private save(): void {
    writeJsonAtomic(this.file, this.data);
  }
}
