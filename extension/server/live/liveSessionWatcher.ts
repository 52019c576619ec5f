// Watches the assistants' session locations while capture is on and imports what they append,
// within a fraction of a second of it being written. Runs in the analysis server, never in the
// extension host. Each change costs one incremental import of that one file: the import cursors
// (extension/server/importers/fileCursor.ts) make a growing JSONL resume where the last import
// stopped, so a long session is never re-read. File-system watching (fs.watch, recursive) says
// which file changed; where it is unavailable or fails, a poll of the locations takes its place, and
// a slow sweep catches what a watcher missed.
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CaptureEvent } from '../../protocol/records';
import { liveInteractionsFrom, type LiveInteraction } from '../attribution/liveInteractions';
import type { CaptureSink } from '../importers/captureSink';
import type { DiscoveredSource } from '../importers/discoverSources';
import { importFiles } from '../importers/importFiles';
import { SourceSweep } from './sourceSweep';

/** Names a transcript can have (the importers' candidates); other files in these folders are ignored. */
const TRANSCRIPT_NAME = /(\.jsonl|\.json|^\.aider\.chat\.history\.md|^\.aider\.input\.history)$/;

export interface LiveWatcherOptions {
  sink: CaptureSink;
  /** The locations to watch; called again at each sweep, so an assistant installed later is found. */
  discover: () => DiscoveredSource[];
  onInteractions?: (interactions: LiveInteraction[]) => void;
  log?: (message: string) => void;
  /** Writes to the same file within this time are imported together. */
  debounceMs?: number;
  /** The safety-net sweep of every location (and re-discovery). */
  sweepMs?: number;
  /** How often locations without a working watcher are polled. */
  pollMs?: number;
  /** Poll even where watching works (tests of the fallback). */
  usePolling?: boolean;
  /** A session is listed as live this long after its file last changed. */
  liveForMs?: number;
}

export interface WatchedLocation { format: string; path: string; mode: 'watch' | 'poll' }
export interface WatchedSession { format: string; path: string; lastChangeAt: number; interactions: number }
export interface LiveStatus {
  watching: boolean;
  locations: WatchedLocation[];
  /** Session files that changed within liveForMs, newest first. */
  sessions: WatchedSession[];
  /** Incremental imports run since the watch started. */
  imports: number;
}

interface Location extends WatchedLocation { watcher?: FSWatcher }
interface SessionState { format: string; lastChangeAt: number; interactionIds: Set<string> }

const MAX_IDS_PER_SESSION = 10_000;

export class LiveSessionWatcher {
  private readonly locations = new Map<string, Location>();
  private readonly sessions = new Map<string, SessionState>();
  private readonly queue = new Set<string>();
  private readonly sweep = new SourceSweep();
  private readonly failedPaths = new Set<string>();
  private running = false;
  private roundTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private imports = 0;
  private readonly debounceMs: number;
  private readonly liveForMs: number;

  constructor(private readonly options: LiveWatcherOptions) {
    this.debounceMs = options.debounceMs ?? 150;
    this.liveForMs = options.liveForMs ?? 30 * 60_000;
  }

  get isRunning(): boolean { return this.running; }

  /** Starts watching; existing files are noted, not imported (history is the import command's job). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.refresh(true);
    if (!this.running) return;
    this.sweepTimer = setInterval(() => void this.refresh(false), this.options.sweepMs ?? 30_000);
    this.sweepTimer.unref();
    this.pollTimer = setInterval(() => void this.pollFallback(), this.options.pollMs ?? 2_000);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of [this.sweepTimer, this.pollTimer]) clearInterval(timer);
    clearTimeout(this.roundTimer);
    this.roundTimer = undefined;
    for (const location of this.locations.values()) location.watcher?.close();
    this.locations.clear();
    this.queue.clear();
    await this.busy;
  }

  /** Resolves when no import is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.busy || this.roundTimer) {
      if (this.busy) await this.busy;
      else await new Promise((resolve) => setTimeout(resolve, this.debounceMs));
    }
  }

  status(now = Date.now()): LiveStatus {
    const sessions: WatchedSession[] = [];
    for (const [path, s] of this.sessions) {
      if (now - s.lastChangeAt <= this.liveForMs) sessions.push({ format: s.format, path, lastChangeAt: s.lastChangeAt, interactions: s.interactionIds.size });
    }
    sessions.sort((a, b) => b.lastChangeAt - a.lastChangeAt);
    return {
      watching: this.running,
      locations: [...this.locations.values()].map(({ format, path, mode }) => ({ format, path, mode })),
      sessions,
      imports: this.imports,
    };
  }

  /** Re-discovers locations, watches new ones, and imports files a watcher did not report. */
  private async refresh(first: boolean): Promise<void> {
    let sources: DiscoveredSource[];
    try {
      sources = this.options.discover();
    } catch (error) {
      this.options.log?.(`live sessions: cannot list the assistants' locations: ${(error as Error).message}`);
      return;
    }
    for (const source of sources) if (!this.locations.has(source.path)) await this.watchLocation(source);
    for (const file of await this.sweep.changed(sources, first)) this.enqueue(file);
  }

  private async pollFallback(): Promise<void> {
    const polled = [...this.locations.values()].filter((l) => l.mode === 'poll');
    if (polled.length === 0 || !this.running) return;
    for (const file of await this.sweep.changed(polled, false)) this.enqueue(file);
  }

  private async watchLocation(source: DiscoveredSource): Promise<void> {
    const location: Location = { ...source, mode: 'poll' };
    this.locations.set(source.path, location);
    if (this.options.usePolling) return;
    const isDir = await stat(source.path).then((s) => s.isDirectory(), () => false);
    try {
      const watcher = watch(source.path, { recursive: isDir, persistent: false }, (_event, filename) => {
        if (!filename) { void this.pollLocation(location); return; }
        const name = filename.toString();
        if (!TRANSCRIPT_NAME.test(basename(name))) return;
        this.enqueue(isDir ? join(source.path, name) : source.path);
      });
      watcher.on('error', (error) => this.fallBackToPolling(location, error));
      location.watcher = watcher;
      location.mode = 'watch';
    } catch (error) {
      this.fallBackToPolling(location, error as Error);
    }
  }

  private fallBackToPolling(location: Location, error: Error): void {
    location.watcher?.close();
    location.watcher = undefined;
    location.mode = 'poll';
    this.options.log?.(`live sessions: watching ${location.path} failed (${error.message}); polling it instead`);
  }

  private async pollLocation(location: Location): Promise<void> {
    for (const file of await this.sweep.changed([location], false)) this.enqueue(file);
  }

  private enqueue(file: string): void {
    if (!this.running) return;
    this.queue.add(file);
    if (!this.roundTimer && !this.busy) this.schedule();
  }

  private schedule(): void {
    this.roundTimer = setTimeout(() => {
      this.roundTimer = undefined;
      this.busy = this.importQueued().finally(() => {
        this.busy = undefined;
        if (this.queue.size > 0 && this.running) this.schedule();
      });
    }, this.debounceMs);
  }

  /** One import per changed file, each resuming from its cursor; a failure is logged once per file. */
  private async importQueued(): Promise<void> {
    const files = [...this.queue];
    this.queue.clear();
    const interactions: LiveInteraction[] = [];
    for (const file of files) {
      if (!this.running) return;
      const written: CaptureEvent[] = [];
      const sink: CaptureSink = {
        capture: async (events) => {
          for (const e of events) if (e.type === 'interaction' || e.type === 'file') written.push(e);
          await this.options.sink.capture(events);
        },
        importCursor: (path) => this.options.sink.importCursor(path),
      };
      try {
        const report = await importFiles([file], { store: sink });
        this.imports++;
        await this.sweep.note(file);
        const row = report.files[0];
        if (row?.status === 'failed') {
          if (!this.failedPaths.has(file)) this.options.log?.(`live sessions: ${file}: ${row.error ?? 'not imported'}`);
          this.failedPaths.add(file);
          continue;
        }
        this.failedPaths.delete(file);
        const found = liveInteractionsFrom(written);
        if (row && (found.length > 0 || this.sessions.has(file))) this.noteSession(file, row.format, found);
        interactions.push(...found);
      } catch (error) {
        this.options.log?.(`live sessions: ${file}: ${(error as Error).message}`);
      }
    }
    if (interactions.length > 0) this.options.onInteractions?.(interactions);
  }

  private noteSession(file: string, format: string, found: LiveInteraction[]): void {
    let session = this.sessions.get(file);
    if (!session) this.sessions.set(file, (session = { format, lastChangeAt: 0, interactionIds: new Set() }));
    session.lastChangeAt = Date.now();
    for (const i of found) if (session.interactionIds.size < MAX_IDS_PER_SESSION) session.interactionIds.add(i.id);
  }
}
