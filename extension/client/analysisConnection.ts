// Starts the analysis server as its own Node process over IPC. vscode-languageclient restarts it if
// it crashes (up to its default limit) and gives us cancellation and an output channel.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { AnalysisInitOptions } from '../protocol/analysisProtocol';

export function createAnalysisClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, init: AnalysisInitOptions): LanguageClient {
  const module = context.asAbsolutePath('dist/analysisServer.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [], // no language features yet: the server is here for the store and analysis
    outputChannel: log,
    initializationOptions: init,
  };
  return new LanguageClient('autodidact', 'Autodidact Analysis', serverOptions, clientOptions);
}
