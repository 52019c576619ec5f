// An evidence link of the Lessons section: the interaction a lesson was learned from, opened as a
// read-only Markdown document (an untitled one: nothing is written to disk).
import * as vscode from 'vscode';
import type { InteractionText } from '../protocol/lessonsProtocol';

export function interactionMarkdown(i: InteractionText): string {
  const score = i.effectiveness === null ? 'not scored' : `${Math.round(i.effectiveness * 100)}% effective`;
  return `# ${i.source} interaction, ${new Date(i.startedAt).toISOString().replace('T', ' ').slice(0, 16)} (${score})\n\n` +
    `## Request\n\n${i.request}\n\n## Answer\n\n${i.response}\n\n<!-- ${i.id} -->\n`;
}

export async function openInteraction(i: InteractionText | null): Promise<{ opened: boolean }> {
  if (!i) return { opened: false };
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: interactionMarkdown(i) });
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Active });
  return { opened: true };
}
