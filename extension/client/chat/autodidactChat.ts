// The @autodidact chat participant's request handler: answers through the trainer-server gateway
// when one is connected, otherwise through the vscode.lm model the user chose, and records the turn
// (prompt, references, answer, tool calls, model) through capture, which redacts it first. Votes
// arrive later through onFeedback and are linked by the ids in the result metadata.
import * as vscode from 'vscode';
import { createIdFactory } from '../capture/captureIds';
import type { CaptureController } from '../capture/captureController';
import { offerApplyButton, registerApplyCodeBlockCommand } from './applyCodeBlock';
import { chatTurnEvents, readChatMetadata, sessionFromHistory, voteOutcome, type ChatResultMetadata } from './chatRecord';
import { resolveReferences } from './chatReferences';
import { buildChatMessages, type HistoryTurn } from './chatTranscript';
import type { GatewayClient } from './gatewayClient';
import { answerWithLanguageModel, type ModelAnswer } from './languageModelAnswer';
import { pickLanguageModel } from './languageModelPicker';

export class AutodidactChat implements vscode.Disposable {
  private readonly newId = createIdFactory('chat');
  private readonly disposables: vscode.Disposable[] = [];
  private gateway: GatewayClient | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel, private readonly capture: CaptureController) {
    this.disposables.push(registerApplyCodeBlockCommand(capture));
  }

  /** The lead wires the trainer-server connection here; undefined falls back to vscode.lm. */
  setGateway(gateway: GatewayClient | undefined): void {
    this.gateway = gateway;
  }

  async handle(request: vscode.ChatRequest, chat: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    const startedAt = Date.now();
    const earlier = chat.history.filter((t): t is vscode.ChatResponseTurn => t instanceof vscode.ChatResponseTurn).map((t) => t.result.metadata);
    const previousSession = sessionFromHistory(earlier);
    const meta: ChatResultMetadata = { interactionId: this.newId(), sessionId: previousSession ?? this.newId() };
    const { resolved, recorded } = await resolveReferences(request.references, (p) => this.capture.isExcluded(p));
    const messages = buildChatMessages(historyTurns(chat), request.prompt, request.command, resolved);
    const answer: ModelAnswer = { text: '', toolCalls: [] };
    const issues: string[] = [];
    let model: string | undefined;
    let errorDetails: vscode.ChatErrorDetails | undefined;
    try {
      if (this.gateway?.available()) {
        model = this.gateway.model ?? 'autodidact-gateway';
        for await (const chunk of this.gateway.chat(messages, token, { interactionId: meta.interactionId })) {
          stream.markdown(chunk);
          answer.text += chunk;
        }
      } else {
        const chosen = await pickLanguageModel(this.context, request);
        if (!chosen) {
          stream.markdown('No language model is available to answer. Run "Autodidact: Connect to Trainer-Server" to answer with your live version, or install or sign in to a chat model provider.');
          return { metadata: meta };
        }
        model = chosen.id;
        await answerWithLanguageModel(chosen, messages, request, stream, token, answer);
      }
    } catch (error) {
      const message = describeError(error);
      issues.push(`${model ?? 'model'} error: ${message}`);
      errorDetails = { message };
      this.log.warn(`@autodidact: ${message}`);
    }
    if (token.isCancellationRequested) issues.push('the user stopped the answer');
    const endedAt = Date.now();
    const events = chatTurnEvents({
      ...meta, newSession: !previousSession, prompt: request.command ? `/${request.command} ${request.prompt}` : request.prompt,
      references: recorded, response: answer.text, model, toolCalls: answer.toolCalls, issues, startedAt, endedAt,
      workspace: vscode.workspace.name,
    }, this.newId);
    this.capture.recordInteraction(events, { id: meta.interactionId, sessionId: meta.sessionId, at: endedAt, answer: answer.text });
    if (!errorDetails) offerApplyButton(stream, request, answer.text, meta);
    return { metadata: meta, errorDetails };
  }

  onFeedback(feedback: vscode.ChatResultFeedback): void {
    const meta = readChatMetadata(feedback.result.metadata);
    if (meta) this.capture.recordOutcome(voteOutcome(meta, feedback.kind === vscode.ChatResultFeedbackKind.Helpful, Date.now()));
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function historyTurns(chat: vscode.ChatContext): HistoryTurn[] {
  return chat.history.map((turn): HistoryTurn => turn instanceof vscode.ChatRequestTurn
    ? { kind: 'request', prompt: turn.prompt, command: turn.command }
    : { kind: 'response', text: turn.response.map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join('') });
}

function describeError(error: unknown): string {
  if (error instanceof vscode.LanguageModelError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
