// Answers through a vscode.lm model, streaming into the chat view. Tools are offered only when the
// user referenced them in the prompt (#tool): the participant never reaches for tools on its own.
// Each tool call is run through vscode.lm.invokeTool (so the chat view shows and confirms it) and
// recorded, with whether it failed.
import * as vscode from 'vscode';
import type { ChatToolCall } from './chatRecord';
import type { ChatMessage } from './gatewayClient';

/** A model that keeps calling tools is stopped after this many rounds. */
const MAX_TOOL_ROUNDS = 5;
const DETAIL_CHARS = 200;

export interface ModelAnswer {
  text: string;
  toolCalls: ChatToolCall[];
}

/** Fills `answer` as it streams, so a failure halfway keeps what was already shown. */
export async function answerWithLanguageModel(
  model: vscode.LanguageModelChat, messages: readonly ChatMessage[], request: vscode.ChatRequest,
  stream: vscode.ChatResponseStream, token: vscode.CancellationToken, answer: ModelAnswer,
): Promise<void> {
  const lmMessages = toLanguageModelMessages(messages);
  const tools = request.toolReferences
    .map((ref) => vscode.lm.tools.find((tool) => tool.name === ref.name))
    .filter((tool): tool is vscode.LanguageModelToolInformation => tool !== undefined)
    .map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }));
  for (let round = 0; round < MAX_TOOL_ROUNDS && !token.isCancellationRequested; round++) {
    const response = await model.sendRequest(lmMessages, {
      justification: 'Autodidact answers @autodidact with the model you chose.',
      tools: tools.length > 0 ? tools : undefined,
    }, token);
    const calls: vscode.LanguageModelToolCallPart[] = [];
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) {
        stream.markdown(part.value);
        answer.text += part.value;
      } else if (part instanceof vscode.LanguageModelToolCallPart) {
        calls.push(part);
      }
    }
    if (calls.length === 0) break;
    lmMessages.push(vscode.LanguageModelChatMessage.Assistant(calls));
    const results: vscode.LanguageModelToolResultPart[] = [];
    for (const call of calls) results.push(await runTool(call, request, token, answer.toolCalls));
    lmMessages.push(vscode.LanguageModelChatMessage.User(results));
  }
}

async function runTool(call: vscode.LanguageModelToolCallPart, request: vscode.ChatRequest, token: vscode.CancellationToken, record: ChatToolCall[]): Promise<vscode.LanguageModelToolResultPart> {
  try {
    const result = await vscode.lm.invokeTool(call.name, { input: call.input, toolInvocationToken: request.toolInvocationToken }, token);
    record.push({ name: call.name, ok: true, detail: JSON.stringify(call.input).slice(0, DETAIL_CHARS) });
    return new vscode.LanguageModelToolResultPart(call.callId, result.content);
  } catch (error) {
    const message = (error as Error).message;
    record.push({ name: call.name, ok: false, detail: message.slice(0, DETAIL_CHARS) });
    return new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart(`The tool failed: ${message}`)]);
  }
}

/** vscode.lm has no system role: the system prompt leads the first user message. */
function toLanguageModelMessages(messages: readonly ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const out: vscode.LanguageModelChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const content = out.length === 0 && system && m.role === 'user' ? `${system}\n\n${m.content}` : m.content;
    out.push(m.role === 'user' ? vscode.LanguageModelChatMessage.User(content) : vscode.LanguageModelChatMessage.Assistant(content));
  }
  return out;
}
