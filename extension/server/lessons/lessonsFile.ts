// How active lessons reach the gateway: the CLI (or the editor) writes them to `lessons.json` in the
// trainer-server's home, atomically; the gateway reads it, again only when the file changes. A file
// is the simplest link that works with the trainer-server running or not, and the user can read
// exactly what every gateway request may be given.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LessonRecord } from '../../protocol/records';
import { isActive } from './lessonConfidence';
import type { RecallableLesson } from './lessonRecall';

export const LESSONS_FILE = 'lessons.json';

export interface LessonsFile { version: 1; writtenAt: number; lessons: RecallableLesson[] }

export function lessonsFilePath(trainerHome: string): string {
  return path.join(trainerHome, LESSONS_FILE);
}

/** Writes the active lessons (only what recall needs); returns how many. */
export function writeLessonsFile(trainerHome: string, lessons: readonly LessonRecord[], now = Date.now()): number {
  const active = lessons.filter(isActive).map(({ id, text, trigger, tags, example }) => ({ id, text, trigger, tags, ...(example ? { example } : {}) }));
  const file = lessonsFilePath(trainerHome);
  fs.mkdirSync(trainerHome, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify({ version: 1, writtenAt: now, lessons: active } satisfies LessonsFile, null, 2)}\n`);
  fs.renameSync(temp, file);
  return active.length;
}

/** Re-reads the file only when it changed; a missing or unreadable file means no lessons (and says why once). */
export class LessonsFileReader {
  private cached: { version: string; lessons: RecallableLesson[] } | undefined;
  private warned = '';

  constructor(private readonly file: string, private readonly warn: (message: string) => void = () => undefined) {}

  lessons(): RecallableLesson[] {
    // Every write is a rename (a new inode), so two writes within one timestamp tick (coarse-clock
    // filesystems, an approve then a disable) still read as a change.
    let version: string;
    try {
      const stat = fs.statSync(this.file);
      version = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      this.cached = undefined;
      return [];
    }
    if (this.cached?.version === version) return this.cached.lessons;
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<LessonsFile>;
      if (parsed.version !== 1 || !Array.isArray(parsed.lessons)) throw new Error('not a version 1 lessons file');
      const lessons = parsed.lessons.filter((l): l is RecallableLesson => typeof l?.id === 'string' && typeof l.text === 'string' && typeof l.trigger === 'string' && Array.isArray(l.tags))
        // An example the gateway cannot use is dropped; the rule is still recalled.
        .map((l) => (l.example === undefined || (typeof l.example?.request === 'string' && typeof l.example.answer === 'string') ? l : { id: l.id, text: l.text, trigger: l.trigger, tags: l.tags }));
      this.cached = { version, lessons };
      return lessons;
    } catch (error) {
      const message = `ignoring ${this.file}: ${(error as Error).message}`;
      if (message !== this.warned) this.warn((this.warned = message));
      return [];
    }
  }
}
