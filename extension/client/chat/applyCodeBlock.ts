// When the user attached a selection and the answer holds exactly one code block, the answer ends
// with a button that replaces the selection with that code through a WorkspaceEdit. Capture is told
// first, so the change is recorded as an assistant edit of this interaction (diagnostics before and
// after it, and whether it is kept, are then linked to the interaction).
import * as vscode from 'vscode';
import type { CaptureController } from '../capture/captureController';
import { extractCodeBlocks } from '../capture/interactionLedger';
import type { ChatResultMetadata } from './chatRecord';

const COMMAND = 'autodidact.chat.applyCodeBlock';

/** Plain data: chat buttons' arguments are serialised, so no Uri or Range objects. */
interface ApplyArgs {
  interactionId: string;
  uri: string;
  range: [startLine: number, startCharacter: number, endLine: number, endCharacter: number];
  code: string;
}

export function offerApplyButton(stream: vscode.ChatResponseStream, request: vscode.ChatRequest, answer: string, meta: ChatResultMetadata): void {
  const selections = request.references.map((r) => r.value).filter((v): v is vscode.Location => v instanceof vscode.Location);
  const blocks = extractCodeBlocks(answer);
  if (selections.length !== 1 || blocks.length !== 1) return;
  const { uri, range } = selections[0];
  const args: ApplyArgs = {
    interactionId: meta.interactionId, uri: uri.toString(),
    range: [range.start.line, range.start.character, range.end.line, range.end.character], code: blocks[0],
  };
  stream.button({ command: COMMAND, title: `Replace the selection in ${vscode.workspace.asRelativePath(uri, false)}`, arguments: [args] });
}

export function registerApplyCodeBlockCommand(capture: CaptureController): vscode.Disposable {
  return vscode.commands.registerCommand(COMMAND, async (args: ApplyArgs) => {
    const uri = vscode.Uri.parse(args.uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(...args.range), args.code);
    capture.expectAssistantEdit(uri, args.interactionId);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showWarningMessage('Autodidact could not apply the code: the file changed or is read-only.');
    }
  });
}
