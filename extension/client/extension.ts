// Activation stays cheap: register commands, the status bar and the panel, then return. Everything
// heavy (the language client, capture listeners) loads from clientServices.js on the next tick.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AutodidactServices } from './clientServices';
import { registerChatParticipant } from './chat/chatParticipantRegistration';
import { registerLiveModelProvider } from './chat/liveModelProvider';
import { StatusMeter } from './statusMeter';

export interface AutodidactApi { activationMs: number; services(): AutodidactServices }

let services: AutodidactServices | undefined;

export function activate(context: vscode.ExtensionContext): AutodidactApi {
  const started = performance.now();
  const meter = new StatusMeter();
  context.subscriptions.push(meter);
  const load = (): AutodidactServices => {
    if (!services) {
      // A separate bundle, required at run time so that its code is not even parsed during activation.
      const module = require(path.join(__dirname, 'clientServices.js')) as typeof import('./clientServices');
      services = new module.AutodidactServices(context, meter);
    }
    return services;
  };
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider('autodidact.panel', { resolveWebviewView: (view) => load().panel.resolve(view) }),
    ...(['trainNextVersion', 'openPanel', 'importSessions', 'exportDataset', 'enableCapture', 'pauseCapture', 'resumeCapture', 'showLog',
      'deleteSession', 'deleteAllData', 'chooseChatModel',
      'rollbackVersion', 'enterTrainerToken', 'connectTrainer', 'pushLessonsToRules'] as const)
      .map((name) => vscode.commands.registerCommand(`autodidact.${name}`, (argument?: unknown) => load().runCommand(name, argument))),
  );
  registerChatParticipant(context, () => load().chat);
  const liveModel = registerLiveModelProvider(context, load);
  const api: AutodidactApi = { activationMs: performance.now() - started, services: load };
  setImmediate(() => {
    const loaded = load();
    if (liveModel.registered) loaded.log.info(liveModel.message); else loaded.log.warn(liveModel.message);
    void loaded.start(api.activationMs);
  });
  return api;
}

export async function deactivate(): Promise<void> {
  await services?.dispose();
}
