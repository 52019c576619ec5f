// Reads what the user attached to a chat request (#file, #selection, a symbol) into text the model
// can see, within a budget, and a label the interaction record keeps.
import * as vscode from 'vscode';
import type { ResolvedReference } from './chatTranscript';

const PER_REFERENCE_CHARS = 16_000;
const TOTAL_CHARS = 48_000;

/** `isExcluded`: files under autodidact.capture.exclude are still shown to the model, but not named in the record. */
export async function resolveReferences(refs: readonly vscode.ChatPromptReference[], isExcluded: (path: string) => boolean): Promise<{ resolved: ResolvedReference[]; recorded: string[] }> {
  const resolved: ResolvedReference[] = [];
  const recorded: string[] = [];
  let budget = TOTAL_CHARS;
  for (const ref of refs) {
    const one = await resolveOne(ref).catch((error: Error): ResolvedReference => ({ label: `${ref.id} (unreadable: ${error.message})` }));
    if (one.text !== undefined) {
      one.text = one.text.slice(0, Math.min(PER_REFERENCE_CHARS, Math.max(0, budget)));
      budget -= one.text.length;
    }
    resolved.push(one);
    const path = ref.value instanceof vscode.Uri ? ref.value : ref.value instanceof vscode.Location ? ref.value.uri : undefined;
    recorded.push(path?.scheme === 'file' && isExcluded(path.fsPath) ? '[excluded file]' : one.label);
  }
  return { resolved, recorded };
}

async function resolveOne(ref: vscode.ChatPromptReference): Promise<ResolvedReference> {
  const value = ref.value;
  if (value instanceof vscode.Uri) {
    const document = await vscode.workspace.openTextDocument(value);
    return { label: vscode.workspace.asRelativePath(value, false), text: document.getText() };
  }
  if (value instanceof vscode.Location) {
    const document = await vscode.workspace.openTextDocument(value.uri);
    const { start, end } = value.range;
    return { label: `${vscode.workspace.asRelativePath(value.uri, false)}:${start.line + 1}-${end.line + 1}`, text: document.getText(value.range) };
  }
  if (typeof value === 'string') return { label: ref.modelDescription ?? ref.id, text: value };
  return { label: ref.modelDescription ?? ref.id };
}
