#!/usr/bin/env node
// `npx autodidact <command> [--db PATH] [--json]`: the headless face of the analysis engine.
// Commands live in cli/<name>Command.ts and are loaded only when called.
import { parseCliArgs, type CliArgs } from './cli/cliArgs';

type CommandModule = { run(args: CliArgs): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  import: { summary: 'import assistant transcripts: import [paths...] [--format auto|claude-code|cline|roo|continue|copilot|aider|codex|cursor|gemini-cli|opencode|copilot-cli|windsurf|factory-droid|amp] [--json]', load: () => import('./cli/importCli') },
  stats: { summary: 'sessions, interactions, effectiveness and categories (--json, --table)', load: () => import('./cli/statsCommand') },
  patterns: { summary: 'recurring requests per category, with effectiveness and trend (--json, --exclude ID)', load: () => import('./cli/patternsCommand') },
  scores: { summary: 'each interaction\'s effectiveness with its signals and evidence events (--json, --min X, --max Y, --limit N)', load: () => import('./cli/scoresCommand') },
  export: { summary: 'training set for LLaMA-Factory: --format openai|sharegpt|alpaca -o FILE; export ollama --version vX.Y --out DIR [--from NAME]: a version as an Ollama model folder', load: () => import('./cli/exportCommand') },
  train: { summary: 'run a training round on the trainer-server (--trainer URL, --dataset FILE --eval FILE, --json)', load: () => import('./cli/trainCommand') },
  versions: { summary: "the trainer-server's versions, live one starred (--json)", load: () => import('./cli/versionsCommand') },
  rollback: { summary: 'make an earlier version live again: rollback <version>', load: () => import('./cli/rollbackCommand') },
  lessons: { summary: 'lessons learned from corrections (--json, --disable/--enable/--delete ID, --edit ID --text T, --undo); lessons export --target agents|claude|cursor|copilot|cline|continue [--dir D]; lessons push [--trainer-home D]; lessons measure [ID] [--trainer URL] [--rollouts N]', load: () => import('./cli/lessonsCommand') },
};

/** The commands that read or write the store (versions and rollback talk only to the trainer-server). */
const STORE_COMMANDS = new Set(['import', 'stats', 'patterns', 'scores', 'export', 'train', 'lessons']);

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: autodidact <command> [--db PATH] [--json]\n\nCommands:\n${rows.join('\n')}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCliArgs(argv);
  const command = COMMANDS[args.command];
  if (!command) {
    if (args.command !== 'help') process.stderr.write(`autodidact: unknown command '${args.command}'\n`);
    process.stdout.write(usage());
    return args.command === 'help' ? 0 : 2;
  }
  // Say which store is read when the user did not name one (to stderr: --json output stays clean).
  const readsStore = STORE_COMMANDS.has(args.command) && !(args.command === 'export' && args.positional[0] === 'ollama');
  if (args.storeNote && readsStore) process.stderr.write(`autodidact: ${args.storeNote}\n`);
  return (await command.load()).run(args);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: Error) => {
    process.stderr.write(`autodidact: ${error.message}\n`);
    process.exitCode = 1;
  },
);
