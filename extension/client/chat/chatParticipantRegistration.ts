// Registers @autodidact during activate(), so VS Code finds it the moment it activates us for a
// chat request; the handler itself lives in the lazily loaded services bundle.
import * as vscode from 'vscode';

/** What the services bundle provides to answer (AutodidactChat). */
export interface ChatHandlerHost {
  handle(request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult>;
  onFeedback(feedback: vscode.ChatResultFeedback): void;
}

export function registerChatParticipant(context: vscode.ExtensionContext, host: () => ChatHandlerHost): void {
  // A host without the chat API (or with chat switched off) simply has no participant.
  if (typeof vscode.chat?.createChatParticipant !== 'function') return;
  try {
    const participant = vscode.chat.createChatParticipant('autodidact.chat', (request, chat, stream, token) => host().handle(request, chat, stream, token));
    participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'autodidact.svg');
    context.subscriptions.push(participant, participant.onDidReceiveFeedback((feedback) => host().onFeedback(feedback)));
  } catch (error) {
    console.warn(`Autodidact: the chat participant is not available here: ${(error as Error).message}`);
  }
}
