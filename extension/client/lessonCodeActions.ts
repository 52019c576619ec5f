// A quick fix on a diagnostic that matches an active lesson (issue 13): the analysis server says which
// lessons the diagnostic is about (lessons/diagnosticLessons.ts); a lesson with a concrete swap
// ("Use `dayjs`, not `moment`") becomes an edit of the flagged text, any other shows the lesson.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LessonsForDiagnosticRequest, type DiagnosticQuery } from '../protocol/lessonsProtocol';
import { lessonActionPlans } from './lessonActionPlan';

const SHOW_LESSON = 'autodidact.showLesson';
/** Lines around which diagnostics are asked about: a file full of errors stays one small request. */
const MAX_DIAGNOSTICS = 8;

function codeOf(code: vscode.Diagnostic['code']): string | undefined {
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** The text a diagnostic flags; an empty range flags its line. */
function flaggedRange(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.Range {
  return diagnostic.range.isEmpty ? document.lineAt(diagnostic.range.start.line).range : diagnostic.range;
}

export class LessonCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly client: () => LanguageClient | undefined) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    const client = this.client();
    const diagnostics = context.diagnostics.slice(0, MAX_DIAGNOSTICS);
    if (diagnostics.length === 0 || !client?.isRunning()) return [];
    const ranges = diagnostics.map((d) => flaggedRange(document, d));
    const flagged = ranges.map((r) => document.getText(r));
    const queries: DiagnosticQuery[] = diagnostics.map((d, i) => ({
      message: d.message, code: codeOf(d.code), source: d.source, flagged: flagged[i], file: document.uri.fsPath || document.uri.path, languageId: document.languageId,
    }));
    let answers;
    try {
      answers = await client.sendRequest(LessonsForDiagnosticRequest.type, { diagnostics: queries }, token);
    } catch {
      return []; // no lessons is always a safe answer for a quick-fix menu
    }
    return lessonActionPlans(flagged, answers).map((plan) => {
      const action = new vscode.CodeAction(plan.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostics[plan.diagnosticIndex]];
      if (plan.edits) {
        const start = document.offsetAt(ranges[plan.diagnosticIndex].start);
        action.edit = new vscode.WorkspaceEdit();
        for (const e of plan.edits) action.edit.replace(document.uri, new vscode.Range(document.positionAt(start + e.start), document.positionAt(start + e.end)), e.text);
      } else {
        action.command = { command: SHOW_LESSON, title: plan.title, arguments: [plan.lessonText] };
      }
      return action;
    });
  }
}

export function registerLessonCodeActions(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new LessonCodeActions(client), { providedCodeActionKinds: LessonCodeActions.kinds }),
    vscode.commands.registerCommand(SHOW_LESSON, async (text: unknown) => {
      if (typeof text !== 'string') return;
      const choice = await vscode.window.showInformationMessage(`Lesson learned from your corrections: ${text}`, 'Open Lessons');
      if (choice) await vscode.commands.executeCommand('autodidact.openPanel');
    }),
  );
}
