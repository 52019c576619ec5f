// A short summary of what came earlier in a session, shared by every example drawn from it: requests
// like "now do the same for the other endpoint" mean nothing alone. A long session is partitioned
// (seed 001): the most recent exchanges are listed one per line, older ones are aggregated into a
// single line with their count and the files they touched. Nothing is dropped without being counted.
import { approxTokens } from './trainingExample';

export interface SessionTurn {
  id: string;
  request: string;
  files: readonly string[];
}

const LINE_CHARS = 140;

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 1)}…` : line;
}

function turnLine(turn: SessionTurn): string {
  const files = turn.files.slice(0, 3).map((f) => f.split(/[\\/]/).pop()).join(', ');
  return `- ${firstLine(turn.request)}${files ? ` (files: ${files})` : ''}`;
}

function aggregateLine(turns: readonly SessionTurn[]): string {
  const files = [...new Set(turns.flatMap((t) => t.files.map((f) => f.split(/[\\/]/).pop() ?? f)))];
  const shown = files.slice(0, 6).join(', ');
  const more = files.length > 6 ? ` and ${files.length - 6} more` : '';
  return `- (${turns.length} earlier exchange${turns.length === 1 ? '' : 's'}${shown ? ` touching ${shown}${more}` : ''})`;
}

/** Summary for each turn of the session (undefined for the first); each fits in budgetTokens. */
export function sessionContextSummaries(turns: readonly SessionTurn[], budgetTokens: number): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const lines = turns.map(turnLine);
  turns.forEach((turn, position) => {
    if (position === 0) { out.set(turn.id, undefined); return; }
    const header = 'Earlier in this session:';
    let used = approxTokens(header) + 40; // room for the aggregate line
    let firstListed = position;
    while (firstListed > 0 && used + approxTokens(lines[firstListed - 1]) + 1 <= budgetTokens) {
      used += approxTokens(lines[firstListed - 1]) + 1;
      firstListed--;
    }
    const listed = lines.slice(firstListed, position);
    const older = firstListed > 0 ? [aggregateLine(turns.slice(0, firstListed))] : [];
    let text = [header, ...older, ...listed].join('\n');
    if (approxTokens(text) > budgetTokens) text = [header, aggregateLine(turns.slice(0, position))].join('\n');
    out.set(turn.id, text);
  });
  return out;
}
