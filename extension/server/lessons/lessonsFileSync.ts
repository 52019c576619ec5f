// The editor keeps the gateway's lessons.json (lessonsFile.ts) in step with the store: after every
// merge that changed the active lessons (the panel's approve / disable / enable / edit / delete /
// undo, a learning pass, recall outcomes, decay, a `lessons measure` or `--disable` another process
// journaled), the window that owns the store rewrites the file, atomically. A store deriver is the one
// place every change passes through, whichever handler or process made it.
// The file goes to the home of a trainer-server on this machine (AUTODIDACT_TRAINER_HOME, else
// ~/.autodidact-trainer, as for its token). A remote trainer has no home here: nothing is written,
// and the log says so (`autodidact lessons push` on its machine hands the lessons over).
import * as fs from 'node:fs';
import { isLocalTrainer } from '../../client/trainer/trainerOrigin';
import { defaultHomeDir } from '../../../trainer-server/src/home/trainerHome';
import type { AutodidactStore } from '../store/autodidactStore';
import { isActive } from './lessonConfidence';
import { LessonBook } from './lessonBook';
import { lessonsFilePath, writeLessonsFile } from './lessonsFile';

export class LessonsFileSync {
  private url: string | undefined | null = null; // null: not told yet
  private home: string | undefined;
  /** The active lessons as last written (JSON); undefined until the first sync for this home. */
  private written: string | undefined;

  constructor(private readonly store: AutodidactStore, private readonly log: (message: string) => void, private readonly env: NodeJS.ProcessEnv = process.env) {
    store.registerDeriver('lessons-file', () => this.sync());
  }

  /** Where the trainer-server is (autodidact.trainer.url); called at start and when the setting changes. */
  setTrainerUrl(url: string | undefined): void {
    if (url === this.url) return;
    const home = url && isLocalTrainer(url) ? defaultHomeDir(this.env) : undefined;
    this.url = url;
    this.home = home;
    this.written = undefined;
    if (!home) this.log(`lessons: the trainer-server at ${url ?? '(no URL)'} is not on this machine, so the editor does not write its lessons.json; run \`autodidact lessons push\` there`);
    this.sync();
  }

  /** Rewrites lessons.json when the active lessons differ from what was last written (owner window only). */
  sync(): void {
    if (!this.home || !this.store.isOwner) return;
    const lessons = new LessonBook(this.store).list();
    const active = JSON.stringify(lessons.filter(isActive));
    if (active === this.written) return;
    const file = lessonsFilePath(this.home);
    // A user with no active lessons and no file yet (maybe no trainer-server at all) gets no folder in their home.
    if (this.written === undefined && active === '[]' && !fs.existsSync(file)) {
      this.written = active;
      return;
    }
    try {
      const count = writeLessonsFile(this.home, lessons);
      this.written = active;
      this.log(`lessons: ${count} active lesson(s) written to ${file} for the gateway`);
    } catch (error) {
      this.log(`lessons: cannot write ${file}, so the gateway recalls what it held before: ${(error as Error).message}`);
    }
  }
}
