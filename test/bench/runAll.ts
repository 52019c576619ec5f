// `npm run bench [-- --quick] [--editor] [--mb N] [--only a,b]`: every benchmark, one table, and
// test-output/bench/bench.json. Each bench runs in its own process, one after another (2 shared
// cores: running them side by side would measure the contention, not the code). A bench that fails
// is reported as failed in the table and the JSON, and the others still run; the exit code says so.
//   --quick      smaller sizes (store 10,000 interactions, import 10 MB, panel 10,000, fewer embeddings),
//                and activation read from the last E2E run's logs instead of a fresh code-server session
//   --editor     measure activation in a fresh code-server session even with --quick
//   --no-editor  read activation from the last E2E run's logs even without --quick
//   --mb N    size of the generated Claude Code log for the import figures (default 50, quick 10)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureStep, importStep, scoringStep, storeStep } from './analysisBenchSteps';
import { printTable, type BenchOptions, type BenchRow, type BenchStep } from './benchRows';
import { activationStep, panelStep } from './editorBenchSteps';
import { gpuStep, trainerStep, trainingStep } from './modelBenchSteps';
import { trainingCompareStep } from './trainingCompareStep';

const STEPS: BenchStep[] = [activationStep, captureStep, storeStep, importStep, scoringStep, panelStep, trainingStep, trainingCompareStep, trainerStep, gpuStep];

function parseOptions(argv: string[]): BenchOptions & { only?: string[] } {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    quick, editor: argv.includes('--editor') || (!quick && !argv.includes('--no-editor')), importMb: Number(value('mb') ?? (quick ? 10 : 50)),
    repo: path.resolve(__dirname, '..', '..'), only: value('only')?.split(','),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const machine = {
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    platform: `${process.platform} ${os.release()}`, loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  console.log(`npm run bench${options.quick ? ' --quick' : ''}: ${machine.cpus}, ${machine.memoryGiB} GiB, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);
  const rows: BenchRow[] = [];
  const results: Record<string, { seconds: number; raw?: unknown; error?: string }> = {};
  for (const step of STEPS.filter((s) => !options.only || options.only.includes(s.name))) {
    const t = performance.now();
    process.stdout.write(`  ${step.name} ... `);
    try {
      const { rows: stepRows, raw } = await step.run(options);
      rows.push(...stepRows);
      results[step.name] = { seconds: (performance.now() - t) / 1000, raw };
      console.log(`${results[step.name].seconds.toFixed(0)} s`);
    } catch (error) {
      const message = (error as Error).message;
      rows.push({ area: step.name, figure: 'FAILED', value: message.slice(0, 200) });
      results[step.name] = { seconds: (performance.now() - t) / 1000, error: message };
      console.log(`FAILED: ${message}`);
    }
  }
  const seconds = (Date.now() - started.getTime()) / 1000;
  console.log('');
  printTable(rows);
  const out = path.join(options.repo, 'test-output', 'bench');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, 'bench.json');
  const command = `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  fs.writeFileSync(file, `${JSON.stringify({ command, startedAt: started.toISOString(), seconds, machine, loadAverageAtEnd: os.loadavg(), rows, results }, null, 2)}\n`);
  console.log(`\n${rows.length} figures in ${seconds.toFixed(0)} s; JSON: ${path.relative(process.cwd(), file)}`);
  if (Object.values(results).some((r) => r.error)) process.exitCode = 1;
}

void main();
