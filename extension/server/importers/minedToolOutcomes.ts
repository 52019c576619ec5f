// The one place the new-format importers hand a tool's result text to outcome mining (test-runner
// summaries, exit codes, failed patches, rejected calls), so every format reads results the same
// way. Whether the call failed is already recorded by InteractionDraft.resolveTool, so a mined
// tool_error is not added twice; a non-zero exit code also becomes an issue, as in the Codex importer.
import type { InteractionDraft } from './interactionDraft';
import { firstLine } from './interactionDraft';
import { outcomesFromToolResult, type ToolResultText } from './toolResultOutcomes';

export function addMinedOutcomes(draft: InteractionDraft, result: ToolResultText, at: number, key: string): void {
  for (const outcome of outcomesFromToolResult(result)) {
    if (outcome.kind === 'tool_error') continue;
    draft.addOutcome(outcome.kind, outcome.value, outcome.detail, at, `${key}:${outcome.kind}`);
    if (outcome.kind === 'exit_code' && outcome.value !== undefined && outcome.value !== 0) {
      draft.addIssue(`exit code ${outcome.value}${result.command ? `: ${firstLine(result.command, 200)}` : ''}`);
    }
  }
}
