// `npm run check:aider`: the real aider (PyPI aider-chat 0.86.2, through litellm's OpenAI provider)
// against the trainer-server's gateway on loopback with the real SmolLM2 base, non-interactively
// (`--message`). Not part of `npm test`: aider-chat pins its own versions of ~100 packages (about
// 690 MB and 5 minutes to install into its own venv, test/.clients/aider-venv), too heavy for every
// test run. The check: aider exits 0, shows the answer the gateway generated, and every request it
// made is captured once.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { InteractionRecord } from '../../extension/protocol/records';
import type { CapturedExchange, TrainerEvent } from '../../extension/protocol/trainerProtocol';
import { connect, REPO_ROOT, startServer, tempDir, type StartedServer } from '../unit/trainerTestKit';

const AIDER_VERSION = '0.86.2';
const VENV = path.join(REPO_ROOT, 'test', '.clients', 'aider-venv');
const AIDER = path.join(VENV, 'bin', 'aider');
const SMOLLM2_DIR = path.join(REPO_ROOT, 'test', '.models', 'SmolLM2-135M-Instruct');

function installAider(): void {
  const installed = fs.existsSync(AIDER) && execFileSync(AIDER, ['--version'], { encoding: 'utf8' }).includes(AIDER_VERSION);
  if (installed) return;
  execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  execFileSync(path.join(VENV, 'bin', 'pip'), ['install', '-q', `aider-chat==${AIDER_VERSION}`], { stdio: 'inherit' });
}

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

describe(`aider ${AIDER_VERSION} through the gateway (SmolLM2)`, { timeout: 1_200_000 }, () => {
  let started: StartedServer;

  before(async () => {
    installAider();
    started = await startServer(tempDir(), { baseModel: SMOLLM2_DIR });
  });
  after(async () => { await started?.server.stop(); });

  test('aider --message gets a streamed answer from the live version, and the exchange is captured once', async (t) => {
    assert.match(execFileSync(AIDER, ['--version'], { encoding: 'utf8' }), new RegExp(`aider ${AIDER_VERSION.replace(/\./g, '\\.')}`));
    const work = tempDir('autodidact-aider-work-');
    fs.writeFileSync(path.join(work, 'greet.py'), 'def greet(name):\n    return "Hello, " + name\n');
    const before = started.server.core.status().captureBuffered;
    const result = await run(AIDER, [
      '--model', 'openai/autodidact', `--openai-api-base=${started.server.httpUrl}/v1`, `--openai-api-key=${started.server.token}`, // '=': a token may start with '-'
      '--edit-format', 'whole', '--map-tokens', '0', '--no-git', '--yes-always', '--no-check-update', '--no-show-model-warnings',
      '--no-analytics', '--no-pretty', '--no-fancy-input', '--no-detect-urls', '--no-show-release-notes',
      '--message', 'What does greet return? Answer in one sentence.', 'greet.py',
    ], { cwd: work, env: { ...process.env, HOME: work, LITELLM_LOCAL_MODEL_COST_MAP: 'True' }, timeoutMs: 600_000 });
    assert.equal(result.code, 0, `aider failed:\n${result.stdout}\n${result.stderr}`);
    const requests = started.server.core.status().captureBuffered - before;
    assert.ok(requests >= 1, 'aider reached the gateway');

    const received: CapturedExchange[] = [];
    const subscriber = await connect(started.server, true, (event: TrainerEvent) => { if (event.event === 'capture') received.push(...event.exchanges); });
    const deadline = Date.now() + 10_000;
    while (received.length < requests && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    subscriber.close();
    assert.equal(received.length, requests, 'every request captured once');
    const interactions = received.flatMap((e) => e.events).filter((e) => e.type === 'interaction') as Array<{ interaction: InteractionRecord }>;
    const first = interactions[0].interaction;
    assert.match(first.user_request, /What does greet return\?/);
    const answerStart = first.assistant_response.trim().split('\n')[0].slice(0, 40);
    assert.ok(result.stdout.includes(answerStart), `aider showed the gateway's answer (${JSON.stringify(answerStart)}):\n${result.stdout}`);
    t.diagnostic(`aider ${AIDER_VERSION}: ${requests} request(s); first answer: ${JSON.stringify(first.assistant_response.slice(0, 200))}`);
  });
});
