// The client's answer to the analysis server's "write this lesson" (DistilLessonRequest): the live
// version through the gateway while the trainer-server is connected, else the user's chat model
// through vscode.lm (never Autodidact's own live-model entry, which is the gateway again), else none,
// and the server's extractor distils. The prompt holds the user's words and the answers' code only.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DistilLessonRequest } from '../protocol/lessonsProtocol';
import { LIVE_MODEL_VENDOR } from './chat/liveModelCore';
import { gatewayPromptModel } from '../server/lessons/modelDistillation';

export interface DistillationDeps {
  trainerConnected(): boolean;
  gateway(): Promise<{ baseUrl: string; token: string | undefined }>;
  log(message: string): void;
}

export function registerLessonDistillation(client: LanguageClient, deps: DistillationDeps): vscode.Disposable {
  return client.onRequest(DistilLessonRequest.type, async ({ prompt }, token) => {
    if (deps.trainerConnected()) {
      try {
        const { baseUrl, token: bearer } = await deps.gateway();
        if (bearer) return { text: await gatewayPromptModel(baseUrl, bearer)(prompt), via: 'gateway' as const };
      } catch (error) {
        deps.log(`lessons: the live version could not distil (${(error as Error).message}); trying the editor's chat model`);
      }
    }
    try {
      const [model] = (await vscode.lm.selectChatModels()).filter((m) => m.vendor !== LIVE_MODEL_VENDOR);
      if (model) {
        const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(prompt)],
          { justification: 'Autodidact writes a lesson from a correction you made (your words and the code only).' }, token);
        let text = '';
        for await (const part of response.text) text += part;
        return { text, via: 'vscode.lm' as const };
      }
    } catch (error) {
      deps.log(`lessons: the editor's chat model could not distil (${(error as Error).message}); the extractor distils`);
    }
    return { text: null, via: null };
  });
}
