// Outcomes read from the text of a tool result: what the assistant's own commands reported.
// A test runner's summary line ("3 failed, 12 passed"), a type checker's or linter's error count,
// an exit code printed by the tool wrapper, a patch that did not apply, a tool call the user
// rejected. Pure text mining with no format knowledge, so every importer (existing and new) reads
// its tool results the same way; each outcome carries the quoted evidence as its detail.
import type { OutcomeKind } from '../../protocol/records';
import { isTestCommand } from '../../client/capture/terminalOutcomes';

export interface ToolResultText { command?: string; output: string; isError?: boolean; exitCode?: number }
/** value: the exit code for exit_code; for test_passed / test_failed the count of passing / failing tests or
 *  errors the runner printed (absent when only an exit code told). detail: the quoted evidence, one line. */
export interface MinedOutcome { kind: OutcomeKind; value?: number; detail: string }

/** Summaries sit at the end of long logs; the head holds wrapper lines such as "Exit code: 1". */
const SCAN_HEAD_CHARS = 600;
const SCAN_TAIL_CHARS = 1_000;
const SUMMARY_TAIL_CHARS = 1_000;
const MAX_DETAIL_CHARS = 200;

/** Exit codes printed by the tool wrappers of the assistants (Codex, Cline, Claude Code, Gemini...). */
const EXIT_CODE_PATTERNS: RegExp[] = [
  /Process exited with code (-?\d+)/,
  /\bExit code:? (-?\d+)\b/i,
  /\bexited with (?:exit )?code (-?\d+)/i,
  /\bexit status (-?\d+)\b/i,
  /"exit_code"\s*:\s*(-?\d+)/,
];

interface TestSummary { failed: number; passed: number; line: string }

/**
 * One reader per runner: each returns the counts its summary line states, or undefined when the
 * text carries no such line. Counts come from the runner, never from guessing at log lines.
 */
/** Reads of a runner's summary, in the order of TAIL_MARKERS' first groups. */
const SUMMARY_READERS: Array<(text: string) => TestSummary | undefined> = [
  cargoSummary, jestSummary, vitestSummary, pytestSummary, mochaSummary, goTestSummary,
];
/**
 * One scan of the output's last lines finds which readers have anything to read: a group per
 * reader (cargo, jest, vitest, pytest, mocha, go), then tsc/eslint and package-manager failures.
 * Literal-led alternatives, because this runs on every command's output.
 */
const TAIL_MARKERS = /(test result: )|(Tests:)|(Tests {2})|( in \d[\d.]*s\b)|( passing| failing)|(--- FAIL:|FAIL\t|ok {2}\t|ok\t)|(Found \d|error TS|✖)|(Test failed|Command failed|ERR_PNPM)/g;
const CHECKS_GROUP = 7;
const PACKAGE_MANAGER_GROUP = 8;

const ANY_TAIL_MARKER = new RegExp(TAIL_MARKERS.source);
const NO_MARKERS: ReadonlySet<number> = new Set();

function markersIn(tail: string): ReadonlySet<number> {
  if (!ANY_TAIL_MARKER.test(tail)) return NO_MARKERS; // the common case: one scan, nothing allocated
  const found = new Set<number>();
  for (const m of tail.matchAll(TAIL_MARKERS)) {
    for (let g = 1; g <= PACKAGE_MANAGER_GROUP; g++) if (m[g] !== undefined) found.add(g);
  }
  return found;
}

/**
 * Pass `command` for shell tools, `isError` and `exitCode` when the format says so. A result with
 * none of them ran no command and did not fail (a file read, a search, a listing, a saved edit):
 * nothing is mined from it, so the bulk of tool output, file contents full of "error" and "test",
 * costs nothing. Refusals and failed patches always come back as errors.
 */
export function outcomesFromToolResult(result: ToolResultText): MinedOutcome[] {
  const command = (result.command ?? '').trim();
  const knownExit = result.exitCode !== undefined && Number.isFinite(result.exitCode) ? result.exitCode : undefined;
  if (command === '' && knownExit === undefined && result.isError !== true) return [];
  // Each reader looks only where its words are printed (the opening lines, the closing lines) and
  // runs its own patterns only after a cheap literal check: this runs for every command's output,
  // and importing must stay close to the speed of JSON.parse.
  const text = scanWindow(result.output ?? '');
  const outcomes: MinedOutcome[] = [];

  const exitCode = knownExit ?? printedExitCode(text);
  if (exitCode !== undefined) {
    outcomes.push({ kind: 'exit_code', value: exitCode, detail: clip(command ? `$ ${command} → exit ${exitCode}` : `exit ${exitCode}`) });
  }

  const rejected = rejectedByUser(text);
  if (rejected) outcomes.push({ kind: 'user_interrupt', detail: clip(rejected) });

  const test = testOutcome(text, command, exitCode);
  if (test) outcomes.push(test);

  // A patch that did not apply is a failed call or a failed command.
  const failed = result.isError === true || (exitCode !== undefined && exitCode !== 0);
  const patch = failed ? patchFailure(text) : undefined;
  if (patch) outcomes.push({ kind: 'patch_failed', detail: clip(patch) });

  if (result.isError && !rejected) outcomes.push({ kind: 'tool_error', detail: clip(firstNonEmptyLine(text) || 'tool reported an error') });
  return outcomes;
}

/** The user stopped the assistant: Claude Code's marker lines, typed by the client into the user turn. */
export function userInterruptFromText(text: string): string | undefined {
  const trimmed = text.trim();
  // Only the marker as the whole message (or its first line): the same words inside pasted code are not an interrupt.
  const m = /^\[Request interrupted by user(?: for tool use)?\]/.exec(trimmed);
  return m ? m[0] : undefined;
}

/** Only as the result's opening words: the same sentence inside printed source code is not a denial. */
function rejectedByUser(text: string): string | undefined {
  const m = /^\s*(?:<tool_use_error>)?\s*(The user doesn't want to proceed with this tool use\.[^\n]{0,80}|The user denied this operation\.?|\[Request interrupted by user(?: for tool use)?\]|(?:Command|Tool call) (?:was )?(?:cancell?ed|aborted|rejected) by (?:the )?user\b[^\n]*)/i.exec(text);
  return m ? m[1] : undefined;
}

function testOutcome(text: string, command: string, exitCode: number | undefined): MinedOutcome | undefined {
  // Runners end with their summary, so the markers are looked for in the last lines only, and a
  // reader's own pattern runs only on output that has its runner's words.
  const tail = text.length > SUMMARY_TAIL_CHARS ? text.slice(-SUMMARY_TAIL_CHARS) : text;
  const markers = markersIn(tail);
  const summaries = SUMMARY_READERS.filter((_read, i) => markers.has(i + 1)).map((read) => read(text)).filter((s): s is TestSummary => s !== undefined);
  const failing = summaries.find((s) => s.failed > 0);
  if (failing) return { kind: 'test_failed', value: failing.failed, detail: clip(failing.line) };
  const checks = typeCheckOrLint(markers.has(CHECKS_GROUP) ? text : '', command, exitCode);
  if (checks) return checks;
  const passing = summaries.find((s) => s.passed > 0);
  if (passing) {
    // A summary of passes with a non-zero exit means something else broke the run (coverage gate, a crash).
    if (exitCode !== undefined && exitCode !== 0) return { kind: 'test_failed', detail: clip(`${passing.line} but exit ${exitCode}`) };
    return { kind: 'test_passed', value: passing.passed, detail: clip(passing.line) };
  }
  const pmFailure = !markers.has(PACKAGE_MANAGER_GROUP) ? null : /^(?:npm (?:ERR!|error) Test failed\.?.*|error Command failed with exit code \d+\.?|\s*ELIFECYCLE\s+Test failed\.?.*|ERR_PNPM_\w+.*test.*)$/im.exec(text);
  if (pmFailure) return { kind: 'test_failed', detail: clip(pmFailure[0].trim()) };
  if (command && exitCode !== undefined && isTestCommand(command)) {
    return { kind: exitCode === 0 ? 'test_passed' : 'test_failed', detail: clip(`$ ${command} → exit ${exitCode}`) };
  }
  return undefined;
}

/**
 * tsc and eslint: errors count as a failed check; a clean run of either is a passed one. `text`
 * is '' when the output's last lines name no tsc or eslint result.
 */
function typeCheckOrLint(text: string, command: string, exitCode: number | undefined): MinedOutcome | undefined {
  const found = text !== '' ? /Found (\d+) errors?(?: in (?:\d+ files|[^\n.]+))?\.?/.exec(text) : null;
  const tsErrors = text !== '' ? text.match(/\berror TS\d{3,5}:/g) : null;
  if (found && Number(found[1]) > 0) return { kind: 'test_failed', value: Number(found[1]), detail: clip(`tsc: ${found[0]}`) };
  if (tsErrors) {
    const first = lineAround(text, /\berror TS\d{3,5}:/.exec(text)!.index);
    return { kind: 'test_failed', value: tsErrors.length, detail: clip(`tsc: ${first}`) };
  }
  const eslint = text === '' ? null : /✖ (\d+) problems? \((\d+) errors?, (\d+) warnings?\)/.exec(text);
  if (eslint && Number(eslint[2]) > 0) return { kind: 'test_failed', value: Number(eslint[2]), detail: clip(`eslint: ${eslint[0]}`) };
  const runsChecker = /(?:^|[\s/;&|])(tsc|eslint)(?:\s|$)/.exec(command);
  if (runsChecker && exitCode === 0) return { kind: 'test_passed', detail: clip(`$ ${command} → exit 0`) };
  return undefined;
}

function cargoSummary(text: string): TestSummary | undefined {
  // test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s
  let failed = 0; let passed = 0; let line: string | undefined;
  for (const m of text.matchAll(/test result: (ok|FAILED)\. (\d+) passed; (\d+) failed;[^\n]*/g)) {
    passed += Number(m[2]); failed += Number(m[3]);
    if (line === undefined || m[1] === 'FAILED') line = m[0];
  }
  return line === undefined ? undefined : { failed, passed, line };
}

function jestSummary(text: string): TestSummary | undefined {
  // Tests:       1 failed, 2 skipped, 11 passed, 14 total
  const m = /^\s*Tests:\s+([^\n]*\b\d+ total)/m.exec(text);
  if (!m) return undefined;
  return { failed: count(m[1], 'failed'), passed: count(m[1], 'passed'), line: `Tests: ${m[1].trim()}` };
}

function vitestSummary(text: string): TestSummary | undefined {
  // "      Tests  1 failed | 15 skipped (16)" — two spaces, no colon, counts split by "|".
  const m = /^\s*Tests {2,}(\d+ (?:passed|failed|skipped|todo)[^\n]*\(\d+\))/m.exec(text);
  if (!m) return undefined;
  return { failed: count(m[1], 'failed'), passed: count(m[1], 'passed'), line: `Tests ${m[1].trim()}` };
}

function pytestSummary(text: string): TestSummary | undefined {
  // "==== 2 failed, 10 passed, 1 warning in 0.52s ====" or, with -q, "10 passed in 0.12s"
  const lines = [...text.matchAll(/^[= ]*((?:\d+ (?:failed|passed|errors?|skipped|deselected|xfailed|xpassed|warnings?)(?:, )?)+)(?: in [\d.]+s)?(?: \([^)]*\))?[ =]*$/gm)];
  const last = lines.at(-1);
  if (!last) return undefined;
  const counts = last[1];
  if (!/\b(passed|failed|errors?)\b/.test(counts)) return undefined;
  return { failed: count(counts, 'failed') + count(counts, 'errors?'), passed: count(counts, 'passed'), line: last[0].replace(/^=+\s*|\s*=+$/g, '') };
}

function mochaSummary(text: string): TestSummary | undefined {
  // "  12 passing (40ms)" then "  2 failing"
  const passing = /^\s*(\d+) passing\b[^\n]*/m.exec(text);
  const failing = /^\s*(\d+) failing\b[^\n]*/m.exec(text);
  if (!passing && !failing) return undefined;
  return {
    failed: failing ? Number(failing[1]) : 0,
    passed: passing ? Number(passing[1]) : 0,
    line: (failing ?? passing)![0].trim(),
  };
}

function goTestSummary(text: string): TestSummary | undefined {
  // "ok  	example.com/pkg	0.012s", "FAIL	example.com/pkg	0.020s", "--- FAIL: TestName (0.00s)"
  const failedTests = [...text.matchAll(/^\s*--- FAIL: \S+[^\n]*/gm)];
  const failedPkgs = [...text.matchAll(/^FAIL\s+\S+\s+[\d.]+s$/gm)];
  const okPkgs = [...text.matchAll(/^ok\s+\S+\s+(?:[\d.]+s|\(cached\))[^\n]*$/gm)];
  if (failedTests.length === 0 && failedPkgs.length === 0 && okPkgs.length === 0) return undefined;
  const failed = Math.max(failedTests.length, failedPkgs.length);
  const line = failed > 0 ? (failedTests[0] ?? failedPkgs[0])[0].trim() : okPkgs[0][0].trim();
  return { failed, passed: okPkgs.length, line: line.replace(/\s+/g, ' ') };
}

/**
 * Patch tools that refused the change: Codex apply_patch, git apply, patch(1), search/replace
 * editors. Their message opens or closes the output, so only the ends are read.
 */
function patchFailure(window: string): string | undefined {
  const text = window.length <= 1_200 ? window : `${window.slice(0, 600)}\n${window.slice(-600)}`;
  const m = /apply_patch verification failed|Failed to apply patch|error: patch failed|patch does not apply|Hunk #\d+ FAILED|Invalid patch|String to replace not found in file|No changes to apply|did not match anything in the file|SearchReplaceNoExactMatch|Failed to find expected lines/.exec(text);
  return m ? lineAround(text, m.index) : undefined;
}

/** Wrappers print the exit status in the output's first or last lines. */
function printedExitCode(window: string): number | undefined {
  const text = window.length <= 1_200 ? window : `${window.slice(0, 600)}\n${window.slice(-600)}`;
  if (!/xit/.test(text)) return undefined; // "Exit code", "exited with", "exit_code", "exit status"
  for (const re of EXIT_CODE_PATTERNS) {
    const m = re.exec(text);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function count(text: string, word: string): number {
  let total = 0;
  for (const m of text.matchAll(new RegExp(`(\\d+) ${word}\\b`, 'g'))) total += Number(m[1]);
  return total;
}

function scanWindow(output: string): string {
  if (output.length <= SCAN_HEAD_CHARS + SCAN_TAIL_CHARS) return output;
  return `${output.slice(0, SCAN_HEAD_CHARS)}\n${output.slice(-SCAN_TAIL_CHARS)}`;
}

/** The whole line holding position `at` (a regex starting with [^\n]* would be quadratic on one huge line). */
function lineAround(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at) + 1;
  const end = text.indexOf('\n', at);
  return text.slice(start, end === -1 ? text.length : end).trim();
}

function firstNonEmptyLine(text: string): string {
  const start = text.search(/\S/);
  if (start === -1) return '';
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).trim();
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL_CHARS ? `${oneLine.slice(0, MAX_DETAIL_CHARS)}…` : oneLine;
}
