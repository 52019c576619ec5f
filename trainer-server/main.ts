// `node --import tsx trainer-server/main.ts [--host H] [--port N] [--home DIR] [--base-model ID|DIR]`
// (or `npm run trainer`): starts the trainer-server. See trainer-server/README.md.
import { parseServerArgs, USAGE } from './src/serverOptions';
import { ollamaConfig } from './src/serving/ollama/ollamaServing';
import { VllmAdapterDriver } from './src/serving/vllmAdapterDriver';
import { TrainerServer } from './src/trainerServer';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

async function main(): Promise<void> {
  const options = parseServerArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!LOOPBACK.has(options.host)) {
    process.stderr.write(`WARNING: binding ${options.host}: the trainer-server is reachable from other machines. Every call still needs the token; put TLS in front of it on untrusted networks.\n`);
  }
  const map = options.vllmPathMap;
  const flavor = options.sglang ? 'sglang' : 'vllm';
  const generationServer = options.vllmUrl ? {
    flavor, baseUrl: options.vllmUrl, apiKey: options.vllmApiKey, baseModelName: options.vllmModel,
    driver: new VllmAdapterDriver({ flavor, baseUrl: options.vllmUrl, apiKey: options.vllmApiKey, mapPath: map && ((p: string) => (p.startsWith(map.from) ? map.to + p.slice(map.from.length) : p)) }),
  } as const : undefined;
  const server = await TrainerServer.start({
    host: options.host, port: options.port, homeDir: options.home, baseModel: options.baseModel, python: options.python,
    engineDir: options.engineDir, engineThreads: options.threads, device: options.device, dtype: options.dtype,
    loadIn4bit: options.loadIn4bit, allowedOrigins: options.allowedOrigins, generationServer,
    ...(options.ollamaUrl ? { ollama: ollamaConfig(options) } : {}),
    ...(options.llamaCpp ? { llamaCpp: { ...options.llamaCpp, threads: options.threads } } : {}),
  });
  process.stderr.write(`trainer-server listening on ${server.wsUrl} (trainer protocol) and ${server.httpUrl}/v1 (OpenAI gateway); token in ${server.tokenFile}\n`);
  server.core.booted.then(
    (lineage) => process.stderr.write(`ready: base model ${lineage.baseModel.id}${lineage.baseModel.fallback ? ` (FALLBACK: ${lineage.baseModel.reason})` : ''}, live ${lineage.registry.live.name}\n`),
    () => undefined,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping\n`);
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
  process.stderr.write(`trainer-server: ${error.message}\n`);
  process.exit(1);
});
