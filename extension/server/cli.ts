#!/usr/bin/env node
// `npx autodidact <command> [--db PATH] [--json]`: the headless face of the analysis engine.
// Commands live in cli/<name>Command.ts and are loaded only when called.
import { parseCliArgs, type CliArgs } from './cli/cliArgs';

type CommandModule = { run(args: CliArgs): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  stats: { summary: 'sessions, interactions, effectiveness and categories (--json, --table)', load: () => import('./cli/statsCommand') },
};

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
  return (await command.load()).run(args);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: Error) => {
    process.stderr.write(`autodidact: ${error.message}\n`);
    process.exitCode = 1;
  },
);
