// Registers the live version as a chat model of the editor (vscode.lm.registerLanguageModelChatProvider,
// finalized in VS Code 1.104; package.json's `languageModelChatProviders` names the vendor), so the
// editor's chat and @autodidact can use it with no other chat model installed. Registered during
// activate(): the editor activates us for `onLanguageModelChatProvider:autodidact` and asks at once.
// engines.vscode stays ^1.95 so older editors keep everything else: there the API is missing, nothing
// is registered and the log says what to do. The types below are the 1.104 shapes this code relies on.
import * as vscode from 'vscode';
import type { GatewayClient } from './gatewayClient';
import { CONNECT_COMMAND_TITLE, estimateTokens, LIVE_MODEL_VENDOR, liveModelInformation, streamLiveAnswer, type LiveModelInformation, type LiveModelState, type ProviderMessageLike } from './liveModelCore';

/** What the lazily loaded services provide: the gateway, the connection state and its changes. */
export interface LiveModelHost {
  readonly gateway: GatewayClient;
  liveModelState(): LiveModelState;
  readonly onDidChangeLiveModel: vscode.Event<void>;
  readonly log: vscode.LogOutputChannel;
}

interface LiveModelProvider {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(options: { readonly silent: boolean }, token: vscode.CancellationToken): vscode.ProviderResult<LiveModelInformation[]>;
  provideLanguageModelChatResponse(model: LiveModelInformation, messages: readonly ProviderMessageLike[], options: unknown, progress: vscode.Progress<vscode.LanguageModelTextPart>, token: vscode.CancellationToken): Thenable<void>;
  provideTokenCount(model: LiveModelInformation, text: string | ProviderMessageLike, token: vscode.CancellationToken): Thenable<number>;
}

type RegisterProvider = (vendor: string, provider: LiveModelProvider) => vscode.Disposable;

const REFUSED_ADVICE = 'Meanwhile @autodidact works where the editor has any other chat model (it still answers through the trainer-server while connected), and any OpenAI-compatible tool can use the gateway at the trainer URL\'s /v1; where a policy blocks extension chat models, ask whoever manages the editor to allow them.';
export const EDITOR_TOO_OLD = `this editor has no language-model provider API (VS Code 1.104 or later has it), so the live version is not one of its chat models: update the editor. ${REFUSED_ADVICE}`;

export interface LiveModelRegistration {
  registered: boolean;
  /** For the Autodidact log: what happened and, when the editor refused, what to do. */
  message: string;
}

export function registerLiveModelProvider(context: vscode.ExtensionContext, host: () => LiveModelHost): LiveModelRegistration {
  const register = (vscode.lm as { registerLanguageModelChatProvider?: RegisterProvider } | undefined)?.registerLanguageModelChatProvider;
  if (typeof register !== 'function') return { registered: false, message: EDITOR_TOO_OLD };
  const changed = new vscode.EventEmitter<void>();
  let subscribed = false;
  let lastListed: boolean | undefined;
  // The host (and its connection) loads lazily; its changes are followed from its first use on.
  const state = (): LiveModelHost => {
    const current = host();
    if (!subscribed) {
      subscribed = true;
      context.subscriptions.push(current.onDidChangeLiveModel(() => changed.fire()));
    }
    return current;
  };
  const provider: LiveModelProvider = {
    onDidChangeLanguageModelChatInformation: changed.event,
    provideLanguageModelChatInformation: () => {
      const current = state();
      const models = liveModelInformation(current.liveModelState());
      // Logged when the answer changes: the proof that the editor asks, and why the picker lacks the model.
      if (lastListed !== models.length > 0) {
        lastListed = models.length > 0;
        current.log.info(lastListed ? `the editor asked for its chat models: ${models[0].name} ${models[0].version} is listed`
          : `the editor asked for its chat models: the live version is not listed until the trainer-server is connected ("${CONNECT_COMMAND_TITLE}")`);
      }
      return models;
    },
    provideLanguageModelChatResponse: (_model, messages, _options, progress, token) =>
      streamLiveAnswer(state().gateway, messages, (text) => progress.report(new vscode.LanguageModelTextPart(text)), token),
    provideTokenCount: async (_model, text) => estimateTokens(text),
  };
  try {
    context.subscriptions.push(changed, register(LIVE_MODEL_VENDOR, provider));
    // The editor asks for models only when told they changed (or when an extension selects models), so
    // follow the connection from the start: the services load on the next tick anyway (extension.ts).
    setImmediate(() => state());
    return { registered: true, message: `the live version is registered as a chat model of the editor (vendor "${LIVE_MODEL_VENDOR}"); it is listed while the trainer-server is connected` };
  } catch (error) {
    // A policy or a missing contribution makes the editor refuse; everything else keeps working.
    changed.dispose();
    return { registered: false, message: `the editor refused the live version as a chat model (${(error as Error).message}). ${REFUSED_ADVICE}` };
  }
}
