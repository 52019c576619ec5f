// Live sessions in the analysis server, measured: how long from a Claude Code session line being
// written to its interaction being in the store (production defaults: fs.watch, 150 ms debounce,
// a real store on disk), and the CPU the watcher (and the store it writes) costs per watched
// session per minute while the sessions are idle and while one assistant is writing.
// Run: node --import tsx test/bench/liveWatchBench.ts [--sessions 20] [--seconds 60] [--json]
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { discoverSources } from '../../extension/server/importers/discoverSources';
import { LiveSessionWatcher } from '../../extension/server/live/liveSessionWatcher';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { ClaudeRecordFactory, claudeTurn } from '../unit/claudeRecordFactory';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function cpuOver(ms: number, during?: (elapsed: number) => void): Promise<number> {
  const start = process.cpuUsage();
  const began = Date.now();
  while (Date.now() - began < ms) {
    during?.(Date.now() - began);
    await sleep(1_000);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const sessions = arg('sessions', 20);
  const seconds = arg('seconds', 60);
  const root = mkdtempSync(join(os.tmpdir(), 'autodidact-live-bench-'));
  const projects = join(root, 'claude', 'projects');
  const factories: ClaudeRecordFactory[] = [];
  const files: string[] = [];
  for (let s = 0; s < sessions; s++) {
    const dir = join(projects, `-work-project${s % 5}`);
    mkdirSync(dir, { recursive: true });
    const id = `cccccccc-1111-4222-8333-${String(s).padStart(12, '0')}`;
    const f = new ClaudeRecordFactory({ sessionId: id, cwd: `/work/project${s % 5}` });
    const file = join(dir, `${id}.jsonl`);
    writeFileSync(file, `${[1, 2, 3].flatMap((n) => claudeTurn(f, n)).join('\n')}\n`);
    factories.push(f);
    files.push(file);
  }
  const store = await AutodidactStore.open(join(root, 'store'));
  const env = { CLAUDE_CONFIG_DIR: join(root, 'claude'), CODEX_HOME: join(root, 'codex') };
  const watcher = new LiveSessionWatcher({ sink: store, discover: () => discoverSources(env, join(root, 'home'), 'linux', []) });
  const count = (): number => store.query<{ n: number }>('SELECT COUNT(*) AS n FROM interactions')[0].n;
  try {
    await watcher.start();
    // Delay: one new turn at a time, each in a different session, until its interaction is stored.
    const delays: number[] = [];
    for (let k = 0; k < 20; k++) {
      const s = k % sessions;
      const before = count();
      const written = performance.now();
      appendFileSync(files[s], `${claudeTurn(factories[s], 10 + k).join('\n')}\n`);
      while (count() === before) await sleep(2);
      delays.push(performance.now() - written);
      await sleep(300);
    }
    await watcher.idle();
    delays.sort((a, b) => a - b);
    const median = delays[Math.floor(delays.length / 2)];
    const p95 = delays[Math.floor(delays.length * 0.95)];
    await sleep(2_000); // let the store persist what the delay runs wrote
    const idleCpu = await cpuOver(seconds * 1000);
    // One assistant writing: a line a second to one session (streamed answer, tool calls).
    const f = factories[0];
    let n = 100;
    const writingCpu = await cpuOver(seconds * 1000, () => appendFileSync(files[0], `${f.assistantText(`step ${n++} of a long answer`)}\n`));
    const perMinute = (cpuMs: number): number => (cpuMs * 60) / seconds;
    const figures = {
      sessions, seconds, delayMedianMs: Math.round(median), delayP95Ms: Math.round(p95), delayMaxMs: Math.round(delays[delays.length - 1]),
      idleCpuMsPerMinute: +perMinute(idleCpu).toFixed(1), idleCpuMsPerSessionPerMinute: +(perMinute(idleCpu) / sessions).toFixed(2),
      writingCpuMsPerMinute: +perMinute(writingCpu).toFixed(1), imports: watcher.status().imports,
      mode: watcher.status().locations.map((l) => l.mode).join(','),
    };
    if (process.argv.includes('--json')) { console.log(JSON.stringify(figures)); return; }
    console.log(`live watch bench: ${sessions} Claude Code sessions watched (${figures.mode}), real store, production defaults`);
    console.log(`  line written → interaction in the store: median ${figures.delayMedianMs} ms, p95 ${figures.delayP95Ms} ms, max ${figures.delayMaxMs} ms (20 turns)`);
    console.log(`  CPU while idle:    ${figures.idleCpuMsPerMinute} ms per minute in all = ${figures.idleCpuMsPerSessionPerMinute} ms per watched session per minute`);
    console.log(`  CPU while one assistant writes a line a second: ${figures.writingCpuMsPerMinute} ms per minute (${figures.imports} incremental imports in all)`);
    console.log(`  (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
  } finally {
    await watcher.stop();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
