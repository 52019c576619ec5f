// `autodidact lessons [--json]`: learns from new corrections, applies recall outcomes and decay, then
// lists the lessons. `--approve ID`, `--disable ID`, `--enable ID`, `--delete ID`, `--edit ID --text "..."`, `--undo`
// change one (journaled, undoable). `lessons export --target agents|claude|cursor|copilot|cline|continue
// [--dir WORKSPACE]` writes the active lessons into that assistant's rules file; `lessons push
// [--trainer-home DIR]` hands them to the gateway (see lessons/lessonsFile.ts); `lessons measure [ID]
// [--trainer URL] [--rollouts N]` measures advantages through the gateway (cli/lessonsMeasure.ts).
import type { LessonRecord } from '../../protocol/records';
import { LessonBook, type LessonDistiller } from '../lessons/lessonBook';
import { gatewayPromptModel, modelDistiller } from '../lessons/modelDistillation';
import { isActive, lessonStatus, type LessonStatus } from '../lessons/lessonConfidence';
import { writeLessonsFile } from '../lessons/lessonsFile';
import { EXPORT_TARGETS, exportLessons, isExportTarget } from '../lessons/rulesExport';
import { registerAnalysis } from '../scoring/registerAnalysis';
import { AutodidactStore } from '../store/autodidactStore';
import { defaultHomeDir } from '../../../trainer-server/src/home/trainerHome';
import { analysisOptionsFromFlags } from './analysisFlags';
import { measureLessons, measureRowText } from './lessonsMeasure';
import { trainerTokenOf, trainerUrlOf } from './trainerConnection';
import type { CliArgs } from './cliArgs';

/** The shape `lessons --json` prints (issue 13). */
export interface LessonJson {
  id: string; text: string; trigger: string; tags: string[]; confidence: number;
  advantage: number | null; samples: number; active: boolean; evidence: string[];
}

export function lessonJson(l: LessonRecord): LessonJson {
  return { id: l.id, text: l.text, trigger: l.trigger, tags: l.tags, confidence: l.confidence, advantage: l.advantage, samples: l.samples, active: isActive(l), evidence: l.evidence };
}

const fail = (message: string, code = 2): number => {
  process.stderr.write(`autodidact lessons: ${message}\n`);
  return code;
};

export async function run(args: CliArgs): Promise<number> {
  const sub = args.positional[0];
  if (sub !== undefined && !['export', 'push', 'measure'].includes(sub)) return fail(`unknown subcommand '${sub}' (export, push, measure)`);
  const target = args.flags.target;
  if (sub === 'export' && (typeof target !== 'string' || !isExportTarget(target))) {
    return fail(`export needs --target ${Object.keys(EXPORT_TARGETS).join('|')} (got ${String(target)})`);
  }
  const store = await AutodidactStore.open(args.dbDir);
  try {
    const book = new LessonBook(store);
    if (!store.isOwner) process.stderr.write('autodidact lessons: another window owns the store; lessons are read as it last wrote them\n');
    else {
      const analysis = registerAnalysis(store, analysisOptionsFromFlags(args)); // scores recall outcomes
      await analysis.settle();
      const changed = await changeOne(book, args);
      if (typeof changed === 'number') return changed;
      if (!changed) {
        const learned = await book.learn(liveModelDistiller(args));
        await book.applyRecallOutcomes();
        await book.decay();
        if (learned.created.length + learned.merged.length > 0 && !args.json) process.stderr.write(`learned ${learned.created.length} new lesson(s), merged ${learned.merged.length}${learned.byModel ? ` (${learned.byModel} written by the live model)` : ''}\n`);
      }
    }
    const lessons = book.list();
    if (sub === 'export') {
      const result = exportLessons(typeof args.flags.dir === 'string' ? args.flags.dir : process.cwd(), target as keyof typeof EXPORT_TARGETS, lessons.filter(isActive));
      process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : `${result.changed ? 'wrote' : 'unchanged:'} ${result.lessons} lesson(s) into ${result.file}\n`);
      return 0;
    }
    if (sub === 'measure') {
      const rows = await measureLessons(store, book, args);
      process.stdout.write(args.json ? `${JSON.stringify(rows)}\n` : rows.map((r) => (r.skipped ? `${r.id}  skipped: ${r.skipped}` : `${r.id}  ${measureRowText(r)}`)).join('\n') + '\n');
      return 0;
    }
    if (sub === 'push') {
      const home = typeof args.flags['trainer-home'] === 'string' ? args.flags['trainer-home'] : defaultHomeDir();
      const count = writeLessonsFile(home, lessons);
      process.stdout.write(args.json ? `${JSON.stringify({ home, active: count })}\n` : `${count} active lesson(s) handed to the gateway in ${home}\n`);
      return 0;
    }
    process.stdout.write(args.json ? `${JSON.stringify(lessons.map(lessonJson))}\n` : formatLessons(lessons));
    return 0;
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return fail(`${(error as Error).message}${cause ? ` (${cause.message})` : ""}`, 1);
  } finally {
    await store.close();
  }
}

/**
 * With --trainer URL (or AUTODIDACT_TRAINER_URL), new lessons are written by the live version through
 * the gateway; an unusable answer, or no gateway, leaves each to the extractor (modelDistillation.ts).
 */
function liveModelDistiller(args: CliArgs): LessonDistiller | undefined {
  if (typeof args.flags.trainer !== 'string' && !process.env.AUTODIDACT_TRAINER_URL) return undefined;
  const url = trainerUrlOf(args);
  let token: string;
  try {
    token = trainerTokenOf(args, url);
  } catch (error) {
    process.stderr.write(`autodidact lessons: not distilling with the live model: ${(error as Error).message}\n`);
    return undefined;
  }
  return modelDistiller(gatewayPromptModel(url, token), (message) => process.stderr.write(`autodidact lessons: ${message}\n`));
}

/** Applies --approve/--disable/--enable/--delete/--edit/--undo; true when one ran, a number to exit with on bad input. */
async function changeOne(book: LessonBook, args: CliArgs): Promise<boolean | number> {
  if (args.flags.undo === true) {
    const undone = await book.undo();
    process.stderr.write(undone ? `undid: ${undone.reason}\n` : 'nothing to undo\n');
    return true;
  }
  for (const flag of ['approve', 'disable', 'enable', 'delete', 'edit'] as const) {
    const id = args.flags[flag];
    if (id === undefined) continue;
    if (typeof id !== 'string') return fail(`--${flag} needs a lesson id`);
    if (flag === 'delete') await book.delete(id);
    else if (flag === 'approve') await book.approve(id);
    else if (flag === 'edit') {
      if (typeof args.flags.text !== 'string') return fail('--edit ID needs --text "the new rule"');
      await book.edit(id, args.flags.text);
    } else await book.setDisabled(id, flag === 'disable');
    return true;
  }
  return false;
}

function formatLessons(lessons: readonly LessonRecord[]): string {
  if (lessons.length === 0) return 'No lessons yet (a lesson is learned when you correct an assistant and the fix works).\n';
  const adv = (l: LessonRecord): string => (l.advantage === null ? '   —  ' : `${l.advantage >= 0 ? '+' : ''}${l.advantage.toFixed(2)}/${l.samples}`.padStart(6));
  const mark: Record<LessonStatus, string> = { active: '*', pending: '?', retired: ' ', disabled: '-' };
  const rows = lessons.map((l) => `${l.id.padEnd(19)} ${mark[lessonStatus(l)]} ${l.confidence.toFixed(2)}  ${adv(l)}  ${l.text}\n${' '.repeat(30)}when: ${l.trigger}`);
  return `${'id'.padEnd(19)} * conf  advantage  lesson\n${rows.join('\n')}\n(* = active: recalled into gateway requests and exported; ? = pending: not measured yet, \`lessons measure\` or \`--approve ID\`; - = disabled)\n`;
}
