import { readFileSync } from 'node:fs';
import { fixture, fixtureFiles } from '../unit/importersSupport';
const text = fixtureFiles().map((f) => readFileSync(fixture(f), 'utf8')).join('\n');
const combined = /sk-|gh[pousr]_|github_pat_|glpat-|hf_|A(?:KIA|SIA|BIA|CCA|3T)|AIza|[sr]k_(?:live|test)_|xox|xapp-|hooks\.slack\.com|SG\.|npm_|eyJ|-----BEGIN |:\/\/|[Ss]ecret|SECRET|@/g;
const t = (label: string, fn: () => unknown): void => { const s = performance.now(); let r; for (let i = 0; i < 5; i++) r = fn(); const ms = (performance.now() - s) / 5; console.log(label.padEnd(24), ms.toFixed(1), 'ms', (text.length / 1048576 / (ms / 1000)).toFixed(1), 'MB/s', r); };
t('combined', () => { combined.lastIndex = 0; let n = 0; while (combined.exec(text)) n++; return n; });
t('combined test', () => { combined.lastIndex = 0; return combined.test(text); });
