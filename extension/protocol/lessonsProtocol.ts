// Lessons in the editor (issue 13): what the panel's Lessons section shows and the changes it asks
// for, the interaction an evidence link opens, and the lessons a diagnostic's code action offers.
// Every change goes through the analysis server's LessonBook, so it is a journaled, undoable event.
import { RequestType } from 'vscode-languageserver-protocol';


export type LessonStatusName = 'active' | 'pending' | 'retired' | 'disabled';

/** One evidence link: the interaction a lesson was distilled from, named by its request. */
export interface LessonEvidence { id: string; request: string; source: string; startedAt: number }

export interface LessonRow {
  id: string;
  text: string;
  trigger: string;
  tags: string[];
  confidence: number;
  /** With minus without the lesson, null until measured; `samples` answers per side. */
  advantage: number | null;
  samples: number;
  recalls: number;
  status: LessonStatusName;
  approved: boolean;
  /** Evidence still in the store (a deleted session's interactions drop out). */
  evidence: LessonEvidence[];
  /** The worked example recalled with the rule (the corrected request and the accepted fix), when there is one. */
  example?: { request: string; answer: string };
}

export interface LessonsPanelData {
  lessons: LessonRow[];
  /** The newest change that Undo would take back, in words; null when there is none. */
  undoable: string | null;
  /** Set when this window only reads the store (another window owns it): changes are refused. */
  readOnly?: string;
}

export type LessonAction =
  | { kind: 'approve' | 'disable' | 'enable' | 'delete'; id: string }
  | { kind: 'edit'; id: string; text: string }
  | { kind: 'undo' };

export interface LessonActionResult { data: LessonsPanelData; message: string }

/** The full text of one interaction, for an evidence link. */
export interface InteractionText { id: string; source: string; startedAt: number; request: string; response: string; effectiveness: number | null }

/** What the editor knows of a diagnostic: its words, the text it flags and the file. */
export interface DiagnosticQuery { message: string; code?: string; source?: string; flagged: string; file: string; languageId?: string }

/** A lesson whose trigger the diagnostic matches; `replace` when the lesson names a concrete swap found in the flagged text. */
export interface DiagnosticLesson { id: string; text: string; score: number; replace?: { from: string; to: string } }

/** Lists lessons; with `learn`, first distils lessons from new corrections and applies outcomes and decay. */
export namespace LessonsRequest {
  export const method = 'autodidact/lessons' as const;
  export const type = new RequestType<{ learn?: boolean }, LessonsPanelData, void>(method);
}

/**
 * Measures one lesson's advantage through the live model's gateway (the client adds where the gateway
 * is and its token, which the analysis server keeps only for this request).
 */
export namespace MeasureLessonRequest {
  export const method = 'autodidact/measureLesson' as const;
  export const type = new RequestType<{ id: string; gatewayUrl: string; token: string }, LessonActionResult, void>(method);
}

export namespace LessonActionRequest {
  export const method = 'autodidact/lessonAction' as const;
  export const type = new RequestType<LessonAction, LessonActionResult, void>(method);
}

export namespace InteractionTextRequest {
  export const method = 'autodidact/interactionText' as const;
  export const type = new RequestType<{ id: string }, InteractionText | null, void>(method);
}

export namespace LessonsForDiagnosticRequest {
  export const method = 'autodidact/lessonsForDiagnostic' as const;
  export const type = new RequestType<{ diagnostics: DiagnosticQuery[] }, DiagnosticLesson[][], void>(method);
}

/**
 * Sent by the analysis server to the client while it learns lessons: write the lesson for this prompt
 * with the live version (gateway) when connected, else the editor's chat model (vscode.lm). `text`
 * is null when neither is there; the server then distils with its extractor.
 */
export namespace DistilLessonRequest {
  export const method = 'autodidact/distilLesson' as const;
  export const type = new RequestType<{ prompt: string }, { text: string | null; via: 'gateway' | 'vscode.lm' | null }, void>(method);
}
