// In-editor checks run by @vscode/test-electron inside a real desktop VS Code (CommonJS: loaded by
// the editor's extension host, not by tsx).
const assert = require('node:assert/strict');
const vscode = require('vscode');

async function run() {
  const extension = vscode.extensions.getExtension('autodidact.autodidact');
  assert.ok(extension, 'the extension is installed');
  const api = await extension.activate();
  assert.ok(api.activationMs < 200, `activate() took ${api.activationMs} ms`);
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['autodidact.trainNextVersion', 'autodidact.openPanel', 'autodidact.importSessions', 'autodidact.exportDataset', 'autodidact.pauseCapture']) {
    assert.ok(commands.includes(id), `${id} is registered`);
  }
  await vscode.commands.executeCommand('autodidact.openPanel');
  console.log(`test:electron: activation ${api.activationMs.toFixed(2)} ms, 5 commands registered, panel opened`);
}

module.exports = { run };
