// `npm run test:electron`: runs the in-editor suite in a desktop VS Code that @vscode/test-electron
// downloads. That needs internet access to VS Code's update server; on machines without it (like CI
// here) the real-editor E2E in test/real-editor runs the extension in code-server instead.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((error: Error) => {
  console.error(`test:electron failed: ${error.message}`);
  process.exit(1);
});
