// The real Codex CLI (@openai/codex 0.171.0, which speaks only the Responses API) pointed at the
// trainer-server through a model provider in a temporary CODEX_HOME, run non-interactively with
// `codex exec`. The answer Codex prints must be the one the gateway generated on SmolLM2 and captured
// (once). Codex's default prompt (~17 kB of instructions plus ~20 kB of tools) exceeds a 135M model's
// context, so the config shortens what a small local model cannot use: its own instructions file, no
// multi-agent/goals tools, no web search - the settings a user of a small local model would choose -
// and asks for greedy answers by header, since Codex sends no temperature.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { InteractionRecord } from '../../extension/protocol/records';
import type { CapturedExchange, TrainerEvent } from '../../extension/protocol/trainerProtocol';
import { connect, REPO_ROOT, startServer, tempDir, type StartedServer } from './trainerTestKit';

const SMOLLM2_DIR = path.join(REPO_ROOT, 'test', '.models', 'SmolLM2-135M-Instruct');

function codexHome(baseUrl: string): string {
  const home = tempDir('autodidact-codex-home-');
  fs.writeFileSync(path.join(home, 'instructions.md'), 'You are a coding assistant. Answer briefly.\n');
  fs.writeFileSync(path.join(home, 'config.toml'), [
    'model = "autodidact"',
    'model_provider = "autodidact"',
    `model_instructions_file = ${JSON.stringify(path.join(home, 'instructions.md'))}`,
    'include_permissions_instructions = false',
    'include_environment_context = false',
    'web_search = "disabled"',
    '',
    '[features]',
    'goals = false',
    '',
    '[agents]',
    'enabled = false',
    '',
    '[model_providers.autodidact]',
    'name = "Autodidact trainer-server"',
    `base_url = ${JSON.stringify(baseUrl)}`,
    'env_key = "AUTODIDACT_TOKEN"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    // Codex sends no temperature; greedy answers make the run repeatable (gateway/clientDefaults.ts).
    'http_headers = { "x-autodidact-temperature" = "0" }',
    '',
  ].join('\n'));
  return home;
}

/** Runs a command with stdin closed (codex exec reads stdin when it is a pipe) and a time limit. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

describe('gateway: the Codex CLI through the Responses API (SmolLM2)', { timeout: 600_000 }, () => {
  let started: StartedServer;
  let codex: string;

  before(async () => {
    codex = execFileSync('bash', [path.join(REPO_ROOT, 'test', 'setup', 'install-node-clients.sh')], { encoding: 'utf8' }).trim();
    started = await startServer(tempDir(), { baseModel: SMOLLM2_DIR });
  });
  after(async () => { await started?.server.stop(); });

  test('codex exec gets the gateway\'s streamed answer, prints it, and the exchange is captured once', async () => {
    assert.match(execFileSync(codex, ['--version'], { encoding: 'utf8' }), /codex-cli 0\.171\.0/);
    const home = codexHome(`${started.server.httpUrl}/v1`);
    const work = tempDir('autodidact-codex-work-');
    const lastMessage = path.join(home, 'last-message.txt');
    const before = started.server.core.status().captureBuffered;
    const result = await run(codex, ['exec', '--skip-git-repo-check', '-o', lastMessage, 'Reply with one word: hello'], {
      cwd: work, env: { ...process.env, CODEX_HOME: home, AUTODIDACT_TOKEN: started.server.token }, timeoutMs: 240_000,
    });
    assert.equal(result.code, 0, `codex exec failed:\n${result.stderr}\n${result.stdout}\n${started.logs.slice(-20).join('\n')}`);
    const printed = fs.readFileSync(lastMessage, 'utf8').trim();
    assert.ok(printed.length > 0, `codex printed an answer\n${result.stderr}`);
    assert.ok(result.stdout.includes(printed), 'and showed it on stdout');
    assert.equal(started.server.core.status().captureBuffered, before + 1, 'one Codex turn, one captured exchange');

    const received: CapturedExchange[] = [];
    const subscriber = await connect(started.server, true, (event: TrainerEvent) => { if (event.event === 'capture') received.push(...event.exchanges); });
    const deadline = Date.now() + 10_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    subscriber.close();
    const interaction = received.flatMap((e) => e.events).find((e) => e.type === 'interaction') as { interaction: InteractionRecord } | undefined;
    assert.ok(interaction, 'the exchange reached the capture subscriber');
    assert.equal(interaction.interaction.user_request, 'Reply with one word: hello');
    assert.equal(interaction.interaction.assistant_response.trim(), printed, 'Codex printed exactly what the gateway generated and captured');
    assert.equal(interaction.interaction.model, 'autodidact-v1.0');
  });
});
