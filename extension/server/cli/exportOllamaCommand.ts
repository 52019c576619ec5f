// `autodidact export ollama --version v1.2 --out DIR [--from NAME] [--trainer URL] [--json]`: a version
// of the trainer-server as a folder `ollama create` reads (Modelfile + adapter/). The trainer-server
// builds it from its registry (weights hash-checked); this writes it, checking every file's SHA-256.
import { OllamaExportError } from '../../../trainer-server/src/serving/ollama/ollamaModel';
import { writeOllamaExport } from '../../../trainer-server/src/serving/ollama/ollamaExport';
import type { CliArgs } from './cliArgs';
import { connectTrainer } from './trainerConnection';
import { TrainerCallError } from '../../shared/trainerClient';

const USAGE = 'usage: autodidact export ollama --version vX.Y --out DIR [--from OLLAMA_BASE] [--trainer URL]   (see autodidact versions)';

export async function run(args: CliArgs): Promise<number> {
  const version = args.flags.version ?? args.positional[1];
  const out = args.flags.out ?? args.flags.output;
  const from = args.flags.from;
  if (typeof version !== 'string' || typeof out !== 'string' || out === '' || (from !== undefined && typeof from !== 'string')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const client = await connectTrainer(args);
  try {
    const bundle = await client.call('exportVersion', { version, format: 'ollama', ...(from ? { from } : {}) });
    const { dir, written } = writeOllamaExport(bundle, out);
    for (const warning of bundle.warnings) process.stderr.write(`autodidact export: warning: ${warning}\n`);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ dir, tag: bundle.tag, from: bundle.from, files: written, warnings: bundle.warnings })}\n`);
    } else {
      process.stdout.write(`${bundle.tag} (FROM ${bundle.from}) written to ${dir}\nthen: ollama create ${bundle.tag} -f ${dir}/Modelfile && ollama run ${bundle.tag}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof TrainerCallError || error instanceof OllamaExportError)) throw error;
    process.stderr.write(`autodidact export ollama: ${error.message}\n`);
    return 1;
  } finally {
    client.close();
  }
}
