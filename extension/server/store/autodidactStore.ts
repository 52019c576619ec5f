// The store: capture is journal-first (durable on return), the database is a merged view that the
// lease holder persists atomically. See journal.ts and writerLease.ts for the two halves of the
// multi-window story; this file sequences them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Database, SqlJsStatic } from 'sql.js';
import type { CaptureEvent, DeleteTarget, ImportCursor } from '../../protocol/records';
import { EventApplier } from './eventApplier';
import { JournalWriter, listSegments, readSegment, type JournalEntry, type SegmentName } from './journal';
import { migrate } from './migrations';
import { loadSqlJs, openDatabaseFile, persistDatabase, previousGeneration, removeDeadWritersFiles } from './sqlDatabase';
import { journalError, persistError } from './storeErrors';
import {
  journalSealRequest, markDeletionsScrubbed, ownershipRequest, removeCorruptCopies, requestJournalSeal, requestOwnershipFile, scrubbedDeletions,
} from './windowSignals';
import { WriterLease, leaseAddress } from './writerLease';

export type Deriver = (db: Database, changedInteractionIds: ReadonlySet<string>) => void | Promise<void>;

export interface StoreOptions {
  /** How long the owner waits after a change before writing the database file. */
  persistDelayMs?: number;
  /** How often a non-owner checks whether the owner has gone, to take over. */
  leaseRetryMs?: number;
  log?: (message: string) => void;
  /** Called after events (from any window's journal) were merged into the database. */
  onMerged?: () => void;
}

export const DATABASE_FILE = 'autodidact.db';

export class AutodidactStore {
  private SQL!: SqlJsStatic;
  private db!: Database;
  private applier!: EventApplier;
  private readonly journal: JournalWriter;
  private readonly lease: WriterLease;
  private readonly offsets = new Map<string, number>();
  private readonly derivers = new Map<string, Deriver>();
  private queue: Promise<unknown> = Promise.resolve();
  private persistTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private dirty = false;
  private deletableAfterPersist: string[] = [];
  private loadedVersion = '';
  private closed = false;
  /** A merged delete whose data may still be on disk somewhere; the ids of the requests behind it. */
  private scrubPending = false;
  private readonly scrubIds = new Set<string>();
  /** Other windows' open segments the last scrub found holding deleted data; undefined: scrub in full. */
  private scrubWaitingOn: string[] | undefined;
  private lastSealRequest = '';
  private lastOwnershipRequest = '';
  /** After handing the store over, this window does not take it back before then (the asker takes it). */
  private yieldUntil = 0;
  /** Lines in journals that could not be parsed (never acknowledged data; reported, not fatal). */
  corruptJournalLines = 0;

  private constructor(readonly dir: string, private readonly options: Required<StoreOptions>) {
    this.journal = new JournalWriter(path.join(dir, 'journal'));
    this.lease = new WriterLease(leaseAddress(dir));
  }

  static async open(dir: string, options: StoreOptions = {}): Promise<AutodidactStore> {
    fs.mkdirSync(dir, { recursive: true });
    const store = new AutodidactStore(dir, {
      persistDelayMs: options.persistDelayMs ?? 1000,
      leaseRetryMs: options.leaseRetryMs ?? 2000,
      log: options.log ?? (() => undefined),
      onMerged: options.onMerged ?? (() => undefined),
    });
    await store.start();
    return store;
  }

  get databaseFile(): string { return path.join(this.dir, DATABASE_FILE); }
  get isOwner(): boolean { return this.lease.held; }

  registerDeriver(name: string, deriver: Deriver): void { this.derivers.set(name, deriver); }

  /**
   * Durable when the promise resolves: the events are fsync'd in this process's journal. When they
   * cannot be (a full disk), the promise rejects and none of them was kept.
   */
  capture(events: readonly CaptureEvent[]): Promise<void> {
    this.assertOpen();
    try {
      this.journal.append(events);
    } catch (error) {
      return Promise.reject(journalError(error as NodeJS.ErrnoException, events.length, this.dir));
    }
    if (!this.isOwner) return Promise.resolve();
    return this.serialize(async () => {
      await this.mergeJournals();
      this.schedulePersist();
    });
  }

  query<T>(sql: string, params: unknown[] = []): T[] {
    this.assertOpen();
    if (!this.isOwner) this.reloadIfChanged();
    const statement = this.db.prepare(sql);
    try {
      statement.bind(params as never);
      const rows: T[] = [];
      while (statement.step()) rows.push(statement.getAsObject() as T);
      return rows;
    } finally {
      statement.free();
    }
  }

  /** Runs a write outside the journal (derived data only: it can always be recomputed). Owner only. */
  writeDerived(write: (db: Database) => void): Promise<void> {
    return this.serialize(async () => {
      if (!this.isOwner) return;
      write(this.db);
      this.dirty = true;
      this.schedulePersist();
    });
  }

  importCursor(file: string): ImportCursor | undefined {
    const [row] = this.query<{ path: string; format: string; size: number; mtime_ms: number; byte_offset: number; head_hash: string }>(
      'SELECT * FROM import_cursors WHERE path = ?', [file]);
    return row && { path: row.path, format: row.format, size: row.size, mtimeMs: row.mtime_ms, offset: row.byte_offset, headHash: row.head_hash };
  }

  /**
   * Deletes rows and their data from every file in the store folder, from any window. Resolves once
   * the owner (this window or another) has applied the delete, rewritten both database generations
   * without the freed pages, and removed the journal segments and damaged copies that held the data;
   * rejects, saying so, if that did not happen within `timeoutMs` (the delete itself is journaled and
   * is applied whenever an owner merges it).
   */
  async deleteAndScrub(targets: readonly DeleteTarget[], timeoutMs = 30_000): Promise<void> {
    if (targets.length === 0) return;
    const id = `${Date.now()}-${randomBytes(6).toString('hex')}`;
    const at = Date.now();
    await this.capture(targets.map((target) => ({ type: 'delete', target, at, id })));
    if (!this.isOwner) {
      // This window's own segment holds the delete, and maybe the deleted rows: seal it so the owner
      // may remove it, and ask the other windows to seal theirs.
      this.journal.seal();
      requestJournalSeal(this.dir);
    }
    const deadline = Date.now() + timeoutMs;
    while (!scrubbedDeletions(this.dir).has(id)) {
      if (Date.now() > deadline) {
        throw new Error(`The deletion is recorded, but the window that owns the store at ${this.dir} has not removed the data from disk `
          + `within ${Math.round(timeoutMs / 1000)} s; it will when that window next runs (or close it, and this window takes over).`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      await this.serialize(() => this.tick()); // takes over if the owner is gone; an owner retries what is left
    }
  }

  /**
   * Makes this window the owner: the user is acting here, so the merged view, the derived data and
   * deletions should be done here, not in a window nobody uses. The owner hands over at its next
   * tick (after writing the database); resolves false if it did not within `timeoutMs` (this window
   * then works as a reader, which loses nothing: its captures are journaled and merged by the owner).
   */
  async requestOwnership(timeoutMs = 5_000): Promise<boolean> {
    this.assertOpen();
    if (this.isOwner) return true;
    this.yieldUntil = 0;
    requestOwnershipFile(this.dir, this.journal.writerId);
    const deadline = Date.now() + timeoutMs;
    while (!(await this.serialize(() => this.becomeOwnerIfFree()))) {
      if (Date.now() > deadline || this.closed) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  /** Merges and writes the database now if this process owns it; otherwise tries to take over. */
  flush(): Promise<void> {
    return this.serialize(async () => {
      if (!this.isOwner && !(await this.becomeOwnerIfFree())) return;
      await this.mergeJournals();
      this.persistNow();
    });
  }

  /**
   * Writes the database a last time and lets go of everything, even when that write fails (a full
   * disk): the promise then rejects, and the events stay in the journal for the next owner to merge.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      clearTimeout(this.persistTimer);
      clearInterval(this.leaseTimer);
      this.journal.close();
      await this.lease.release();
      this.applier.free();
      this.db.close();
    }
  }

  private async start(): Promise<void> {
    this.SQL = await loadSqlJs();
    this.lastSealRequest = journalSealRequest(this.dir);
    if (await this.lease.tryAcquire()) await this.loadAsOwner();
    else this.loadSnapshot();
    // The owner picks up other windows' journals; a reader checks whether the owner has gone.
    this.leaseTimer = setInterval(() => void this.serialize(() => this.tick()), this.options.leaseRetryMs);
    this.leaseTimer.unref();
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    const sealRequest = journalSealRequest(this.dir);
    if (sealRequest !== this.lastSealRequest) {
      this.lastSealRequest = sealRequest;
      try {
        this.journal.seal(); // a deletion waits for this window's open segment to be sealed and removed
      } catch (error) {
        this.options.log(`cannot seal the journal segment (asked by a deletion): ${(error as Error).message}`);
      }
    }
    if (!this.isOwner) {
      if (await this.becomeOwnerIfFree()) return;
      // Readers see what the owner merged (other windows' imports too) within a tick of its persist.
      if (this.fileVersion() !== this.loadedVersion) {
        this.loadSnapshot();
        this.options.onMerged();
      }
      return;
    }
    const request = ownershipRequest(this.dir);
    if (request !== this.lastOwnershipRequest) {
      this.lastOwnershipRequest = request;
      if (!request.startsWith(`${this.journal.writerId} `)) {
        try {
          await this.handOver();
          return;
        } catch (error) {
          this.options.log(`cannot hand the store over yet: ${(error as Error).message}`);
        }
      }
    }
    await this.mergeJournals();
    if (this.dirty) this.schedulePersist();
  }

  /** Writes everything merged so far, lets go of the lease and reads the file as any reader does. */
  private async handOver(): Promise<void> {
    await this.mergeJournals();
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.persistNow(); // throws on a full disk: then this window stays the owner, and the asker waits
    await this.lease.release();
    this.yieldUntil = Date.now() + 10_000; // long enough for the asker, short enough if it died
    this.options.log('handed the store over to the window in use');
    this.loadSnapshot();
  }

  private async loadAsOwner(): Promise<void> {
    const removed = removeDeadWritersFiles(this.databaseFile);
    if (removed.length > 0) this.options.log(`removed ${removed.join(', ')}, left by a writer that died while persisting`);
    this.db?.close();
    this.db = await this.openNewestReadableGeneration();
    migrate(this.db); // a database from a newer Autodidact throws here and is left untouched
    this.applier = new EventApplier(this.db);
    this.offsets.clear(); // replay every journal from the start: applying is idempotent
    this.deletableAfterPersist = [];
    this.scrubPending = false;
    this.scrubWaitingOn = undefined;
    this.scrubIds.clear();
    this.lastOwnershipRequest = ownershipRequest(this.dir); // requests made before this window owned it are answered
    await this.mergeJournals();
    try {
      this.persistNow();
    } catch (error) {
      // The merged data is in memory and in the journal: readable now, written when there is room.
      this.options.log((error as Error).message);
    }
  }

  /**
   * The current file, or if it is unreadable (kept aside as .corrupt-<time>), the previous
   * generation. Journal segments are deleted one generation late, so the journal holds everything
   * acknowledged since the previous generation was written.
   */
  private async openNewestReadableGeneration(): Promise<Database> {
    for (const file of [this.databaseFile, previousGeneration(this.databaseFile)]) {
      if (!fs.existsSync(file)) continue;
      try {
        return await openDatabaseFile(file);
      } catch (error) {
        const aside = `${file}.corrupt-${Date.now()}`;
        fs.renameSync(file, aside);
        this.options.log(`${(error as Error).message}; moved it to ${aside} and rebuilt from the previous generation and the journal`);
      }
    }
    return new this.SQL.Database();
  }

  private async becomeOwnerIfFree(): Promise<boolean> {
    if (this.closed || this.isOwner) return this.isOwner;
    if (Date.now() < this.yieldUntil) return false;
    if (!(await this.lease.tryAcquire())) return false;
    this.applier?.free();
    this.options.log('took over as the store writer');
    await this.loadAsOwner();
    return true;
  }

  /** A non-owner reads the owner's last persisted file; it reloads only when the file changed. */
  private loadSnapshot(): void {
    const version = this.fileVersion();
    let next: Database;
    try {
      next = fs.existsSync(this.databaseFile) ? new this.SQL.Database(fs.readFileSync(this.databaseFile)) : new this.SQL.Database();
      migrate(next); // in memory only: a non-owner never writes the file
    } catch (error) {
      this.options.log(`cannot read ${this.databaseFile} yet: ${(error as Error).message}`);
      if (this.db) return;
      next = new this.SQL.Database();
      migrate(next);
    }
    this.applier?.free();
    this.db?.close();
    this.db = next;
    this.applier = new EventApplier(this.db);
    this.loadedVersion = version;
  }

  private reloadIfChanged(): void {
    if (this.fileVersion() !== this.loadedVersion) this.loadSnapshot();
  }

  private fileVersion(): string {
    try {
      const stat = fs.statSync(this.databaseFile);
      return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      return 'missing';
    }
  }

  private async mergeJournals(): Promise<void> {
    const changed = new Set<string>();
    let applied = 0;
    this.db.exec('BEGIN');
    try {
      // Read every segment's new lines, then apply them in the order they were journaled, whichever
      // window wrote them (a stable sort keeps each writer's own order for equal times).
      const entries: JournalEntry[] = [];
      for (const segment of listSegments(path.join(this.dir, 'journal'))) {
        const { events, nextOffset, corruptLines } = readSegment(segment.file, this.offsets.get(segment.file) ?? 0);
        for (const event of events) entries.push(event);
        this.corruptJournalLines += corruptLines;
        this.offsets.set(segment.file, nextOffset);
      }
      entries.sort((a, b) => (a.journaledAt ?? 0) - (b.journaledAt ?? 0));
      const scrubbed = entries.some((entry) => entry.type === 'delete') ? scrubbedDeletions(this.dir) : new Set<string>();
      for (const entry of entries) {
        if (entry.type === 'delete' && !(entry.id && scrubbed.has(entry.id))) {
          this.scrubPending = true;
          this.scrubWaitingOn = undefined;
          if (entry.id) this.scrubIds.add(entry.id);
        }
        const interactionId = this.applier.apply(entry, entry.journaledAt ?? 0);
        if (interactionId) changed.add(interactionId);
      }
      applied = entries.length;
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    if (applied > 0) {
      this.dirty = true;
      for (const [name, deriver] of this.derivers) {
        try {
          await deriver(this.db, changed);
        } catch (error) {
          this.options.log(`deriver ${name} failed: ${(error as Error).message}`);
        }
      }
      this.options.onMerged();
    }
    if (this.scrubPending) this.scrub();
  }

  /**
   * After a delete: no file in the store folder may still hold the deleted data. VACUUM drops the
   * freed pages; two persists make both the current and the previous generation clean; then every
   * journal segment merged before them can go. A segment another live window is still appending to
   * cannot be deleted under it: that window is asked to seal it, and the scrub runs again at the next
   * tick until no segment holds a buried event. Failures (a full disk) are retried the same way.
   */
  private scrub(): void {
    if (!this.isOwner) return;
    if (this.scrubWaitingOn && !this.anySealedOrGone(this.scrubWaitingOn)) return; // nothing new to remove yet
    try {
      this.journal.seal();
      this.db.exec('VACUUM');
      for (let generation = 0; generation < 2; generation++) {
        this.dirty = true;
        this.persistNow();
      }
      for (const file of this.deletableAfterPersist) {
        fs.rmSync(file, { force: true });
        this.offsets.delete(file);
      }
      this.deletableAfterPersist = [];
      const removed = [...removeCorruptCopies(this.databaseFile), ...removeDeadWritersFiles(this.databaseFile)];
      if (removed.length > 0) this.options.log(`removed ${removed.join(', ')}: they may hold deleted data`);
      const holding = this.segmentsHoldingBuriedEvents();
      this.scrubWaitingOn = holding.length > 0 ? holding : undefined;
      if (holding.length > 0) {
        requestJournalSeal(this.dir);
        this.options.log(`deleted data is still in ${holding.length} journal segment(s) of other windows; asked them to seal`);
        return;
      }
      markDeletionsScrubbed(this.dir, this.scrubIds);
      this.scrubIds.clear();
      this.scrubPending = false;
    } catch (error) {
      this.options.log(`deletion not yet scrubbed from disk: ${(error as Error).message}`);
    }
  }

  private anySealedOrGone(files: readonly string[]): boolean {
    const sealed = new Set(this.sealedMergedSegments());
    return files.some((file) => sealed.has(file) || !fs.existsSync(file));
  }

  private segmentsHoldingBuriedEvents(): string[] {
    return listSegments(path.join(this.dir, 'journal')).filter((segment) =>
      readSegment(segment.file, 0).events.some((event) => this.applier.isBuried(event, event.journaledAt ?? 0)))
      .map((segment) => segment.file);
  }

  private schedulePersist(): void {
    if (this.persistTimer || this.closed) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      // A failed write is retried by the lease timer's tick while the database stays dirty.
      this.serialize(async () => this.persistNow()).catch((error: Error) => this.options.log(error.message));
    }, this.options.persistDelayMs);
  }

  private persistNow(): void {
    if (!this.isOwner || !this.dirty) return;
    this.journal.rotate(); // everything we wrote so far is merged: seal it
    const mergedBefore = this.sealedMergedSegments();
    try {
      persistDatabase(this.db, this.databaseFile);
    } catch (error) {
      throw persistError(error as NodeJS.ErrnoException, this.databaseFile);
    }
    this.dirty = false;
    // Segments merged before the PREVIOUS generation was written are now in two generations on disk.
    for (const file of this.deletableAfterPersist) {
      fs.rmSync(file, { force: true });
      this.offsets.delete(file);
    }
    this.deletableAfterPersist = mergedBefore;
  }

  /** Segments that are fully merged and will never grow again (sealed, or their writer is gone). */
  private sealedMergedSegments(): string[] {
    const segments = listSegments(path.join(this.dir, 'journal'));
    const newest = new Map<string, number>();
    for (const s of segments) newest.set(s.writer, Math.max(newest.get(s.writer) ?? 0, s.segment));
    return segments.filter((segment) => {
      const merged = (this.offsets.get(segment.file) ?? -1) >= fileSize(segment.file);
      const sealed = segment.writer === this.journal.writerId
        ? segment.file !== this.journal.currentSegmentFile
        : segment.segment < newest.get(segment.writer)! || !isAlive(segment);
      return merged && sealed;
    }).map((segment) => segment.file);
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the Autodidact store is closed');
  }
}

function fileSize(file: string): number {
  try { return fs.statSync(file).size; } catch { return 0; }
}

function isAlive(segment: SegmentName): boolean {
  if (segment.pid === process.pid) return true;
  try {
    process.kill(segment.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

