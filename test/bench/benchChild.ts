// Runs one benchmark as its own process (so its memory figures and any crash stay its own) and
// hands back its machine-readable last line, or its whole output for benches that print text.
import { spawn } from 'node:child_process';

export interface ChildOutput {
  stdout: string;
  stderr: string;
  seconds: number;
}

export class BenchChildError extends Error {}

export function runChild(command: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve({ stdout, stderr, seconds });
      else {
        const why = signal === 'SIGKILL' ? `timed out after ${options.timeoutMs / 1000} s` : `exited with ${code ?? signal}`;
        const tail = (stderr.trim() || stdout.trim()).split('\n').slice(-3).join(' | ');
        reject(new BenchChildError(`${[command, ...args].join(' ')} ${why}: ${tail}`));
      }
    });
  });
}

/** The last line of stdout that parses as a JSON object. */
export function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line) as T;
    } catch {
      // not this one
    }
  }
  throw new BenchChildError(`no JSON line in the output: ${stdout.slice(-300)}`);
}
