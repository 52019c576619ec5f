// Where the real transcripts are (../shared, next to the repository, never copied into it) and what a
// fixture suite does without them: outside CI it says plainly that it did not run; with CI=true the
// fixtures are part of the run, so their absence is a failing test, not a line in the log.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';

/** AUTODIDACT_FIXTURES_DIR moves it (the test of the CI rule points it at a folder that is not there). */
export const fixtureDir = process.env.AUTODIDACT_FIXTURES_DIR ?? resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'transcripts');
export const fixturesPresent = existsSync(fixtureDir);

/** Registers `register`'s tests, or reports the suite as not run (a failure under CI=true). */
export function whenFixtures(name: string, register: () => void): void {
  if (fixturesPresent) register();
  else reportMissingFixtures(name);
}

export function reportMissingFixtures(name: string, ci = process.env.CI === 'true'): void {
  const message = `${name}: no fixtures at ${fixtureDir}`;
  if (ci) test(`${name} (fixtures required in CI)`, () => { throw new Error(`${message}; with CI=true the fixture suites must run`); });
  else console.log(`NOT RUN: ${message}`);
}

/** Every transcript file in the fixture folder (not the two notes), relative to it, sorted. */
export function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!['FORMATS.md', 'SOURCES.md'].includes(entry.name)) out.push(relative(fixtureDir, full));
    }
  };
  walk(fixtureDir);
  return out.sort();
}
