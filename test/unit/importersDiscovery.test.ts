// discoverSources against fake home folders laid out as on Linux, macOS and Windows, and the
// environment overrides (CLAUDE_CONFIG_DIR, CODEX_HOME, APPDATA, XDG_CONFIG_HOME).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { discoverSources } from '../../extension/server/importers/discoverSources';

function fakeHome(folders: string[], files: string[] = []): string {
  const home = mkdtempSync(join(tmpdir(), 'autodidact-home-'));
  for (const folder of folders) mkdirSync(join(home, folder), { recursive: true });
  for (const file of files) writeFileSync(join(home, file), '');
  return home;
}

function found(home: string, sources: ReturnType<typeof discoverSources>): string[] {
  return sources.map((s) => `${s.format} ${relative(home, s.path).split('\\').join('/')}`);
}

describe('discoverSources', () => {
  it('Linux: dot folders, ~/.config/Code and VS Code Server, Aider files in the given folder', () => {
    const home = fakeHome([
      '.claude/projects/-home-dev-app', '.codex/sessions/2025/05/01', '.continue/sessions', '.continue/dev_data/0.2.0', '.cline/data/sessions',
      '.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks', '.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/tasks',
      '.config/Code/User/workspaceStorage/ws1/chatSessions', '.config/Code/User/workspaceStorage/ws2/GitHub.copilot-chat/transcripts',
      '.config/Code/User/workspaceStorage/ws3', '.vscode-server/data/User/globalStorage/emptyWindowChatSessions', 'src/app',
    ], ['src/app/.aider.chat.history.md']);
    assert.deepEqual(found(home, discoverSources({}, home, 'linux', [join(home, 'src/app'), join(home, 'src')])), [
      'claude-code .claude/projects', 'codex .codex/sessions', 'continue .continue/sessions', 'continue .continue/dev_data',
      'cline .cline/data/sessions',
      'cline .config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks', 'roo .config/Code/User/globalStorage/rooveterinaryinc.roo-cline/tasks',
      'copilot .config/Code/User/workspaceStorage/ws1/chatSessions', 'copilot .config/Code/User/workspaceStorage/ws2/GitHub.copilot-chat/transcripts',
      'copilot .vscode-server/data/User/globalStorage/emptyWindowChatSessions',
      'aider src/app/.aider.chat.history.md',
    ]);
  });

  it('macOS: ~/Library/Application Support, Insiders and Cursor too', () => {
    const home = fakeHome([
      'Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/tasks',
      'Library/Application Support/Code - Insiders/User/workspaceStorage/w/chatSessions',
      'Library/Application Support/Cursor/User/globalStorage/saoudrizwan.claude-dev/tasks',
      '.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks',
    ]);
    assert.deepEqual(found(home, discoverSources({}, home, 'darwin')), [
      'roo Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/tasks',
      'copilot Library/Application Support/Code - Insiders/User/workspaceStorage/w/chatSessions',
      'cline Library/Application Support/Cursor/User/globalStorage/saoudrizwan.claude-dev/tasks',
    ]);
  });

  it('Windows: %APPDATA% (or AppData\\Roaming under the profile) and %USERPROFILE%\\.claude', () => {
    const home = fakeHome(['.claude/projects', 'AppData/Roaming/Code/User/globalStorage/saoudrizwan.claude-dev/tasks', 'Roaming2/Code/User/workspaceStorage/x/chatSessions']);
    assert.deepEqual(found(home, discoverSources({}, home, 'win32')), [
      'claude-code .claude/projects', 'cline AppData/Roaming/Code/User/globalStorage/saoudrizwan.claude-dev/tasks',
    ]);
    assert.deepEqual(found(home, discoverSources({ APPDATA: join(home, 'Roaming2') }, home, 'win32')), [
      'claude-code .claude/projects', 'copilot Roaming2/Code/User/workspaceStorage/x/chatSessions',
    ]);
  });

  it('honours CLAUDE_CONFIG_DIR, CODEX_HOME, XDG_CONFIG_HOME and CONTINUE_GLOBAL_DIR', () => {
    const home = fakeHome(['.claude/projects', 'alt-claude/projects', 'codex-home/archived_sessions', 'xdg/Code/User/globalStorage/emptyWindowChatSessions', 'cont/sessions']);
    const env = { CLAUDE_CONFIG_DIR: join(home, 'alt-claude'), CODEX_HOME: join(home, 'codex-home'), XDG_CONFIG_HOME: join(home, 'xdg'), CONTINUE_GLOBAL_DIR: join(home, 'cont') };
    assert.deepEqual(found(home, discoverSources(env, home, 'linux')), [
      'claude-code alt-claude/projects', 'codex codex-home/archived_sessions', 'continue cont/sessions', 'copilot xdg/Code/User/globalStorage/emptyWindowChatSessions',
    ]);
  });

  it('an empty home finds nothing', () => {
    assert.deepEqual(discoverSources({}, fakeHome([]), 'linux', []), []);
  });
});
