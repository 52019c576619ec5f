// The lessons and every change to them. Each change is a journaled `lesson` event holding the lesson
// before and after it, so the store rebuilds lessons from the journal after a crash and any change
// can be undone (newest first) by a change that puts `before` back.
import { createHash, randomUUID } from 'node:crypto';
import type { LessonChange, LessonChangeKind, LessonRecord } from '../../protocol/records';
import type { AutodidactStore } from '../store/autodidactStore';
import { correctionExchangesInStore, type CorrectionExchange } from './correctionExchanges';
import { distilLesson, type LessonDraft } from './lessonExtractor';
import { exampleOf } from './lessonExample';
import { contentWords, wordOverlap } from './lessonWords';
import { CONFIDENCE, decayed, isActive } from './lessonConfidence';

export interface LearnReport { exchanges: number; created: string[]; merged: string[]; skipped: number; byModel: number }

/**
 * Distils with a model (the live version through the gateway, or the editor's chat model): undefined
 * when it has nothing usable, and then the deterministic extractor decides. See modelDistillation.ts.
 */
export type LessonDistiller = (exchange: CorrectionExchange) => Promise<LessonDraft | undefined>;

/** Two lessons whose rules share this much (and whose triggers overlap) are one lesson. */
const SAME_RULE = 0.6;
const SAME_TRIGGER = 0.3;

export class LessonBook {
  constructor(private readonly store: AutodidactStore, private readonly now: () => number = Date.now) {}

  list(): LessonRecord[] {
    return this.store.query<{ body: string }>('SELECT body FROM lessons ORDER BY id').map((row) => JSON.parse(row.body) as LessonRecord);
  }

  get(id: string): LessonRecord | undefined {
    const [row] = this.store.query<{ body: string }>('SELECT body FROM lessons WHERE id = ?', [id]);
    return row && (JSON.parse(row.body) as LessonRecord);
  }

  active(): LessonRecord[] { return this.list().filter(isActive); }

  /**
   * Distils a lesson from every correction exchange not seen before (with the model when one is given
   * and answers usably, else with the extractor); a lesson that says what an existing one says is merged into it.
   * `sessionIds` limits the pass to those sessions (the ones that changed since the last pass).
   */
  async learn(distiller?: LessonDistiller, sessionIds?: readonly string[]): Promise<LearnReport> {
    const report: LearnReport = { exchanges: 0, created: [], merged: [], skipped: 0, byModel: 0 };
    for (const exchange of correctionExchangesInStore(this.store, sessionIds)) {
      report.exchanges++;
      const source = `from correction ${exchange.attempt.id}`;
      if (this.store.query('SELECT 1 FROM lesson_changes WHERE reason = ? LIMIT 1', [source]).length > 0) {
        await this.addMissingExample(exchange); // seen (even if deleted since); lessons learnt before examples get one
        continue;
      }
      const fromModel = distiller ? await distiller(exchange).catch(() => undefined) : undefined;
      if (fromModel) report.byModel++;
      const distilled = fromModel ?? distilLesson(exchange);
      if (!distilled) { report.skipped++; continue; }
      const example = exampleOf(exchange);
      const draft: LessonDraft = example ? { ...distilled, example } : distilled;
      const twin = this.list().find((lesson) => sameLesson(lesson, draft));
      if (twin) {
        await this.change('merged', twin, mergeInto(twin, draft), source);
        report.merged.push(twin.id);
      } else {
        const id = `lesson-${createHash('sha256').update(exchange.attempt.id).digest('hex').slice(0, 12)}`;
        const at = this.now();
        const lesson: LessonRecord = { id, ...draft, confidence: CONFIDENCE.initial, advantage: null, samples: 0, retired: false, disabled: false, recalls: 0, createdAt: at, lastUsedAt: at };
        await this.change('created', null, lesson, source);
        report.created.push(id);
      }
    }
    return report;
  }

  /** A lesson distilled from this exchange before lessons kept examples gets the exchange's example, once. */
  private async addMissingExample(exchange: CorrectionExchange): Promise<void> {
    const lesson = this.list().find((l) => !l.example && l.evidence.includes(exchange.attempt.id));
    const reason = `example from correction ${exchange.attempt.id}`;
    if (!lesson || this.store.query('SELECT 1 FROM lesson_changes WHERE lesson_id = ? AND reason = ? LIMIT 1', [lesson.id, reason]).length > 0) return;
    const example = exampleOf(exchange);
    if (example) await this.change('edited', lesson, { ...lesson, example }, reason);
  }

  /**
   * Each recall's interaction, once scored, moves the lesson's confidence toward its effectiveness;
   * a lesson under the floor is retired. Each recall counts once (its change names the interaction).
   */
  async applyRecallOutcomes(): Promise<number> {
    const rows = this.store.query<{ lesson_id: string; interaction_id: string; effectiveness: number; started_at: number }>(
      `SELECT r.lesson_id, r.interaction_id, i.effectiveness, i.started_at FROM lesson_recalls r
       JOIN interactions i ON i.id = r.interaction_id WHERE i.effectiveness IS NOT NULL ORDER BY i.started_at`);
    let applied = 0;
    for (const row of rows) {
      const reason = `recall outcome ${row.interaction_id}`;
      const lesson = this.get(row.lesson_id);
      if (!lesson || this.store.query('SELECT 1 FROM lesson_changes WHERE lesson_id = ? AND reason = ? LIMIT 1', [lesson.id, reason]).length > 0) continue;
      const confidence = lesson.confidence + CONFIDENCE.outcomeRate * (row.effectiveness - lesson.confidence);
      const after: LessonRecord = { ...lesson, confidence: round(confidence), recalls: lesson.recalls + 1, lastUsedAt: Math.max(lesson.lastUsedAt, row.started_at) };
      await this.change('confidence', lesson, after, reason);
      await this.retireIfUnderFloor(after);
      applied++;
    }
    return applied;
  }

  /** Confidence fades while a lesson goes unused (half-life in lessonConfidence.ts); only changes worth a journal line are recorded. */
  async decay(): Promise<number> {
    let changed = 0;
    for (const lesson of this.list()) {
      if (lesson.retired) continue;
      const confidence = decayed(lesson, this.now());
      if (lesson.confidence - confidence < 0.01) continue;
      const after: LessonRecord = { ...lesson, confidence: round(confidence), decayedAt: this.now() };
      await this.change('confidence', lesson, after, 'unused');
      await this.retireIfUnderFloor(after);
      changed++;
    }
    return changed;
  }

  async setAdvantage(id: string, advantage: number, samples: number, beyondNoise: boolean): Promise<LessonRecord> {
    const lesson = this.require(id);
    const after: LessonRecord = { ...lesson, advantage: round(advantage), samples, retired: lesson.retired || !beyondNoise };
    await this.change('advantage', lesson, after, beyondNoise ? 'advantage beyond noise' : 'no advantage beyond noise: not recalled');
    return after;
  }

  /** The user vouches for the lesson: active without a measurement; a retired lesson comes back. */
  async approve(id: string): Promise<void> {
    const lesson = this.require(id);
    await this.change('approved', lesson, { ...lesson, approved: true, retired: false, disabled: false }, 'by the user');
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    const lesson = this.require(id);
    await this.change(disabled ? 'disabled' : 'enabled', lesson, { ...lesson, disabled }, 'by the user');
  }

  async edit(id: string, text: string): Promise<void> {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) throw new Error('a lesson needs some text');
    const lesson = this.require(id);
    await this.change('edited', lesson, { ...lesson, text: clean }, 'by the user');
  }

  async delete(id: string): Promise<void> {
    await this.change('deleted', this.require(id), null, 'by the user');
  }

  /** The newest change not taken back yet: what undo() would take back. */
  lastUndoable(): { id: string; lesson_id: string; kind: string; before: string | null; after: string | null } | undefined {
    const [last] = this.store.query<{ id: string; lesson_id: string; kind: string; before: string | null; after: string | null }>(
      `SELECT c.id, c.lesson_id, c.kind, c.before, c.after FROM lesson_changes c WHERE c.kind <> 'undo'
       AND NOT EXISTS (SELECT 1 FROM lesson_changes u WHERE u.undoes = c.id) ORDER BY c.seq DESC LIMIT 1`);
    return last;
  }

  /** Takes back the newest change not taken back yet; undefined when there is none. */
  async undo(): Promise<LessonChange | undefined> {
    const last = this.lastUndoable();
    if (!last) return undefined;
    const current = this.get(last.lesson_id) ?? null;
    return this.change('undo', current, last.before ? (JSON.parse(last.before) as LessonRecord) : null, `undo ${last.kind}`, last.id, last.lesson_id);
  }

  private async retireIfUnderFloor(lesson: LessonRecord): Promise<void> {
    if (lesson.retired || lesson.confidence >= CONFIDENCE.floor) return;
    await this.change('retired', lesson, { ...lesson, retired: true }, `confidence under ${CONFIDENCE.floor}`);
  }

  private require(id: string): LessonRecord {
    const lesson = this.get(id) ?? this.list().find((l) => l.id.startsWith(id) && id.length >= 8);
    if (!lesson) throw new Error(`no lesson with id ${id}`);
    return lesson;
  }

  private async change(kind: LessonChangeKind, before: LessonRecord | null, after: LessonRecord | null, reason: string, undoes?: string, lessonId?: string): Promise<LessonChange> {
    const change: LessonChange = { id: `lc-${randomUUID()}`, lessonId: lessonId ?? after?.id ?? before!.id, kind, before, after, reason, at: this.now(), ...(undoes ? { undoes } : {}) };
    await this.store.capture([{ type: 'lesson', change }]);
    if (!this.store.isOwner) throw new Error('another window owns the store; the change is journaled and shows once that window merges it');
    return change;
  }
}

function sameLesson(lesson: LessonRecord, draft: LessonDraft): boolean {
  if (lesson.text.toLowerCase() === draft.text.toLowerCase()) return true;
  const rule = wordOverlap(new Set(contentWords(lesson.text)), new Set(contentWords(draft.text)));
  const trigger = wordOverlap(new Set(lesson.trigger.split(' ')), new Set(draft.trigger.split(' ')));
  return rule >= SAME_RULE && trigger >= SAME_TRIGGER;
}

/** The merged lesson keeps its rule (short), gains the evidence, tags and trigger words, and is trusted a little more. */
function mergeInto(lesson: LessonRecord, draft: LessonDraft): LessonRecord {
  const trigger = [...new Set([...lesson.trigger.split(' '), ...draft.trigger.split(' ')])].filter(Boolean).slice(0, 14).join(' ');
  return {
    ...lesson,
    trigger,
    tags: [...new Set([...lesson.tags, ...draft.tags])].slice(0, 8),
    evidence: [...new Set([...lesson.evidence, ...draft.evidence])],
    ...(lesson.example ?? draft.example ? { example: lesson.example ?? draft.example } : {}),
    confidence: round(Math.min(CONFIDENCE.max, lesson.confidence + CONFIDENCE.mergeBonus)),
  };
}

function round(x: number): number { return Math.round(x * 1000) / 1000; }
