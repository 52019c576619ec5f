// Terminal commands that ended after an interaction, as outcome events: the exit code always
// (undefined = unknown, recorded as such, never as success), and test_passed / test_failed when the
// command ran tests and its exit code is known.
import type { OutcomeEvent } from '../../protocol/records';

/** A test run this long after the interaction's answer still says something about it. */
export const TERMINAL_WINDOW_MS = 15 * 60_000;
const MAX_COMMAND_CHARS = 300;

/** Runners and the arguments that make them run tests (`npm test`, `go test`, `pytest`...). */
const TEST_RUNNERS: ReadonlyArray<[runner: RegExp, args?: RegExp]> = [
  [/^(npm|pnpm|yarn|bun)$/, /^((t|test|tst)\b|(run )?(test|tests|unit|e2e|jest|vitest|mocha)\b|run test:)/],
  [/^(jest|vitest|mocha|ava|tap|jasmine|karma|cypress|pytest|py\.test|nosetests|tox|nox|rspec|phpunit|pest|ctest|nextest)$/],
  [/^(go|cargo|dotnet|swift|mix|deno|zig|dart|flutter|mvn|mvnw|gradle|gradlew|sbt|lein|stack|cabal)$/, /^(test|nextest)\b/],
  [/^playwright$/, /^test\b/],
  [/^make$/, /^(test|check|tests)\b/],
  [/^(rake|bundle)$/, /^(test|spec|exec (rspec|rake test))\b/],
  [/^python[0-9.]*$/, /^-m (pytest|unittest|nose)\b/],
];
/** Words that only wrap the real command. */
const WRAPPERS = new Set(['npx', 'pnpx', 'bunx', 'sudo', 'time', 'env', 'exec', 'command', 'nice', 'uv', 'poetry', 'pipenv', 'hatch', 'pdm']);
const WRAPPER_SUBCOMMANDS = new Set(['run', 'exec', 'x', 'dlx']);

/** True when any part of a command line (`cd x && npm test | tee log`) runs tests. */
export function isTestCommand(commandLine: string): boolean {
  return commandLine.split(/&&|\|\||[;|\n]/).some((part) => runsTests(part.trim()));
}

function runsTests(part: string): boolean {
  const words = part.split(/\s+/).filter((w) => w.length > 0);
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++; // FOO=1 npm test
  // `uv run`, `sudo -E`, `npx --yes`: a wrapper, then its subcommand or flags, then the real command.
  let afterWrapper = false;
  while (i < words.length && (WRAPPERS.has(words[i]) || (afterWrapper && (WRAPPER_SUBCOMMANDS.has(words[i]) || words[i].startsWith('-'))))) {
    afterWrapper = true;
    i++;
  }
  if (i >= words.length) return false;
  const runner = words[i].split(/[\\/]/).pop()!.replace(/\.(cmd|exe|bat|sh)$/i, '');
  const rest = words.slice(i + 1).filter((w) => !/^--?(silent|quiet|s|q|workspace=\S+|prefix)$/.test(w)).join(' ');
  return TEST_RUNNERS.some(([re, args]) => re.test(runner) && (!args || args.test(rest)));
}

export interface TerminalEnd {
  commandLine: string;
  /** undefined when the shell did not report one: unknown, not success. */
  exitCode: number | undefined;
  at: number;
}

export function terminalOutcomes(end: TerminalEnd, interaction: { id: string; sessionId: string }, newId: () => string): OutcomeEvent[] {
  const command = end.commandLine.trim().slice(0, MAX_COMMAND_CHARS);
  if (!command) return [];
  const base = { interactionId: interaction.id, sessionId: interaction.sessionId, at: end.at };
  const known = end.exitCode !== undefined && Number.isFinite(end.exitCode);
  const events: OutcomeEvent[] = [{
    ...base, id: newId(), kind: 'exit_code', value: known ? end.exitCode : undefined,
    detail: known ? `$ ${command} → exit ${end.exitCode}` : `$ ${command} → exit code unknown`,
  }];
  if (known && isTestCommand(command)) {
    events.push({ ...base, id: newId(), kind: end.exitCode === 0 ? 'test_passed' : 'test_failed', value: end.exitCode, detail: `$ ${command}` });
  }
  return events;
}
