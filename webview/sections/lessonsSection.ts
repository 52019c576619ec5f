// Lessons (issue 13): the rules learned from the user's corrections, each with its trigger, status,
// confidence, measured advantage and sample size, times recalled and the interactions it came from
// (links open them). Approve / Edit / Disable / Delete and Undo go to the analysis server's LessonBook,
// so each is a journaled lesson event. The list is asked for when the section opens and again when
// the store has new interactions (new corrections may teach new lessons).
import type { LessonRow, LessonsPanelData } from '../../extension/protocol/lessonsProtocol';
import type { LessonAction } from '../../extension/protocol/lessonsProtocol';
import { button, h, notice, present } from '../dom';
import { count, dateTime } from '../format';
import { codeParts, lessonButtons, lessonFacts, STATUS_TEXT } from '../lessonFacts';
import { unavailable, type Badge, type PanelContext, type PanelSection } from '../panelContext';

const BUTTON_LABEL = { approve: 'Approve', measure: 'Measure', edit: 'Edit', disable: 'Disable', enable: 'Enable', delete: 'Delete' } as const;

export class LessonsSection implements PanelSection {
  readonly id = 'lessons' as const;
  readonly title = 'Lessons';
  private data: LessonsPanelData | undefined;
  private loading = false;
  private error: string | undefined;
  private message: { text: string; error: boolean } | undefined;
  private busy = false;
  private editing: string | undefined;
  private loadedFor = '';
  private revision = 0;

  /** The store changed in a way that may teach lessons: more interactions (or outcomes). */
  private storeKey(ctx: PanelContext): string {
    const s = ctx.state.data?.stats ?? ctx.state.stats;
    return `${s.sessions}/${s.interactions}`;
  }

  key(ctx: PanelContext): string {
    return JSON.stringify([ctx.state.status.kind, this.storeKey(ctx), this.revision]);
  }

  badge(): Badge {
    if (!this.data || this.data.lessons.length === 0) return { text: '' };
    const pending = this.data.lessons.filter((l) => l.status === 'pending').length;
    return pending > 0 ? { text: `${count(pending)} pending`, tone: 'warn' } : { text: count(this.data.lessons.length) };
  }

  opened(ctx: PanelContext): void {
    if (unavailable(ctx) !== null || this.loading) return;
    if (this.loadedFor !== this.storeKey(ctx)) this.load(ctx);
  }

  body(ctx: PanelContext): Node[] {
    const gone = unavailable(ctx);
    if (gone === 'loading') return [notice('loading', 'Reading lessons…')];
    if (gone === 'error') return [notice('error', 'Lessons are unavailable until the analysis server runs again.')];
    if (this.loadedFor !== this.storeKey(ctx) && !this.loading) this.load(ctx);
    if (!this.data) {
      return [this.error
        ? notice('error', this.error, button('Retry', { class: 'secondary small', id: 'lessons-retry' }, () => this.load(ctx)))
        : notice('loading', 'Learning from your corrections…')];
    }
    const { lessons, undoable, readOnly } = this.data;
    const active = lessons.filter((l) => l.status === 'active').length;
    const pending = lessons.filter((l) => l.status === 'pending').length;
    const toolbar = h('div', { class: 'lessons-toolbar' },
      h('p', { class: 'section-summary', id: 'lessons-summary' }, lessons.length === 0 ? 'No lessons yet'
        : `${count(lessons.length)} lesson${lessons.length === 1 ? '' : 's'} · ${count(active)} active · ${count(pending)} pending`),
      button('Undo', { class: 'secondary small', id: 'lessons-undo', disabled: !undoable || this.busy || Boolean(readOnly), title: undoable ? `Undo ${undoable}` : 'Nothing to undo' },
        () => void this.act(ctx, { kind: 'undo' })),
      button('Push to Rules File…', { class: 'secondary small', id: 'lessons-push-rules', disabled: active === 0,
        title: active === 0 ? 'No active lessons yet' : "Write the active lessons into your assistant's rules file (AGENTS.md, CLAUDE.md, Cursor, Copilot, Cline, Continue), after a diff" },
      () => ctx.command('autodidact.pushLessonsToRules')));
    return present([
      toolbar,
      readOnly ? h('p', { class: 'muted small' }, readOnly) : null,
      this.message ? h('p', { class: this.message.error ? 'inline-error' : 'muted small', id: 'lessons-message', role: this.message.error ? 'alert' : 'status' }, this.message.text) : null,
      lessons.length === 0
        ? notice('empty', 'A lesson is learned when you correct an assistant and the fix works: the rule you taught, recalled the next time a similar request comes.')
        : h('ul', { class: 'lesson-list', id: 'lesson-list' }, ...lessons.map((l) => this.lessonItem(ctx, l, Boolean(readOnly)))),
    ]);
  }

  private lessonItem(ctx: PanelContext, l: LessonRow, readOnly: boolean): HTMLElement {
    const facts = lessonFacts(l);
    const status = STATUS_TEXT[l.status];
    const editing = this.editing === l.id;
    const text = editing ? this.editor(ctx, l) : h('p', { class: 'lesson-text' }, ...codeParts(l.text).map((p) => (p.code ? h('code', {}, p.text) : p.text)));
    const actions = h('div', { class: 'lesson-actions' }, ...lessonButtons(l).map((kind) =>
      button(BUTTON_LABEL[kind], { class: kind === 'approve' ? 'small' : 'secondary small', id: `lesson-${kind}-${l.id}`, disabled: this.busy || readOnly || editing },
        () => { if (kind === 'edit') { this.editing = l.id; this.changed(ctx); } else void this.act(ctx, { kind, id: l.id }); })));
    const evidence = l.evidence.length === 0 ? h('p', { class: 'muted small' }, 'Its evidence was deleted.')
      : h('ul', { class: 'lesson-evidence', 'aria-label': 'Learned from' }, ...l.evidence.map((e) => h('li', {},
        button(`“${e.request || '(empty request)'}”`, { class: 'link', title: `Open this ${e.source} interaction (${dateTime(e.startedAt)})`, 'data-interaction-id': e.id },
          () => void this.openEvidence(ctx, e.id)))));
    return h('li', { class: `lesson lesson-${l.status}`, id: `lesson-${l.id}`, 'data-lesson-id': l.id, 'data-status': l.status },
      h('div', { class: 'lesson-head' }, h('span', { class: `pill pill-lesson-${l.status}`, title: status.title }, status.label), text),
      h('p', { class: 'lesson-trigger muted small' }, `When: ${l.trigger}`),
      h('p', { class: 'lesson-facts small' }, `${facts.confidence} · ${facts.advantage} · ${facts.recalls}`),
      l.evidence.length > 0 ? h('p', { class: 'muted small lesson-from' }, 'Learned from:') : null, evidence,
      l.example ? this.example(l.id, l.example) : null, actions);
  }

  /** What recall shows the model with the rule: the corrected request and the fix that was accepted. */
  private example(id: string, example: { request: string; answer: string }): HTMLElement {
    return h('details', { class: 'lesson-example small', id: `lesson-example-${id}` },
      h('summary', { title: 'Recalled with the rule, as an earlier exchange' }, 'Recalled with its example'),
      h('p', { class: 'muted' }, `“${example.request}”`),
      h('pre', {}, h('code', {}, example.answer.replace(/^```[^\n]*\n|\n?```$/g, ''))));
  }

  private editor(ctx: PanelContext, l: LessonRow): HTMLElement {
    const area = h('textarea', { id: `lesson-edit-${l.id}`, class: 'lesson-edit', rows: 3, 'aria-label': 'Lesson text', maxlength: 300 }, l.text);
    const save = button('Save', { class: 'small', id: `lesson-save-${l.id}` }, () => {
      this.editing = undefined;
      void this.act(ctx, { kind: 'edit', id: l.id, text: area.value });
    });
    const cancel = button('Cancel', { class: 'secondary small' }, () => { this.editing = undefined; this.changed(ctx); });
    return h('div', { class: 'lesson-editor' }, area, h('div', { class: 'lesson-actions' }, save, cancel));
  }

  private load(ctx: PanelContext): void {
    this.loading = true;
    this.loadedFor = this.storeKey(ctx);
    ctx.rpc.request('lessons', { learn: true }).then(
      (data) => { this.data = data; this.error = undefined; },
      (error: Error) => { this.error = `Could not read lessons: ${error.message}`; },
    ).finally(() => { this.loading = false; this.changed(ctx); });
  }

  private async act(ctx: PanelContext, action: LessonAction | { kind: 'measure'; id: string }): Promise<void> {
    this.busy = true;
    if (action.kind === 'measure') this.message = { text: 'Measuring: the live model answers requests of this kind with and without the lesson…', error: false };
    this.changed(ctx);
    try {
      const result = action.kind === 'measure' ? await ctx.rpc.request('measureLesson', { id: action.id }) : await ctx.rpc.request('lessonAction', action);
      this.data = result.data;
      this.message = { text: result.message, error: false };
    } catch (error) {
      this.message = { text: (error as Error).message, error: true };
    }
    this.busy = false;
    this.changed(ctx);
  }

  private async openEvidence(ctx: PanelContext, id: string): Promise<void> {
    try {
      const { opened } = await ctx.rpc.request('openInteraction', { id });
      if (!opened) { this.message = { text: 'That interaction is no longer in the store.', error: true }; this.changed(ctx); }
    } catch (error) {
      this.message = { text: (error as Error).message, error: true };
      this.changed(ctx);
    }
  }

  private changed(ctx: PanelContext): void {
    this.revision++;
    ctx.redraw(this.id);
  }
}
