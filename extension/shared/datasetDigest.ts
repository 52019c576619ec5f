// The SHA-256 that names a training set on both sides of the trainer protocol. It covers the train
// and eval splits separately, so moving a row from one split to the other changes it. Reproducible
// from a shell: printf 'autodidact-dataset.v1\ntrain %s\neval %s\n' "$(sha256sum <train.jsonl | cut -c1-64)" "$(sha256sum <eval.jsonl | cut -c1-64)" | sha256sum
import { createHash } from 'node:crypto';

/** JSONL text of the lines exactly as the engine reads them: one row per line, each ending in \n. */
export function jsonlText(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function datasetSha256(train: readonly string[], evalLines: readonly string[]): string {
  return sha256Hex(`autodidact-dataset.v1\ntrain ${sha256Hex(jsonlText(train))}\neval ${sha256Hex(jsonlText(evalLines))}\n`);
}
