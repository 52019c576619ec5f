// Training sets uploaded by clients, stored by their SHA-256 (datasets/<sha>/train.jsonl, eval.jsonl).
// The server recomputes the hash and refuses a mismatch, and checks each row is an OpenAI-chat
// conversation with an assistant turn, so a bad upload fails with a line number instead of mid-round.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetSha256, jsonlText } from '../../../extension/shared/datasetDigest';
import { fsyncDir, readJsonIfExists, writeFileAtomic } from '../home/atomicFile';

export interface StoredDataset {
  sha256: string;
  trainPath: string;
  evalPath: string;
  trainExamples: number;
  evalExamples: number;
}

export class DatasetError extends Error {
  constructor(readonly code: 'hash_mismatch' | 'bad_dataset' | 'not_found', message: string) {
    super(message);
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class DatasetStore {
  constructor(private readonly dir: string) {}

  save(train: string[], evalLines: string[], claimedSha256: string): { dataset: StoredDataset; stored: boolean } {
    if (!Array.isArray(train) || !Array.isArray(evalLines) || ![...train, ...evalLines].every((l) => typeof l === 'string')) {
      throw new DatasetError('bad_dataset', '"train" and "eval" must be arrays of JSONL lines (strings)');
    }
    const actual = datasetSha256(train, evalLines);
    if (actual !== claimedSha256) {
      throw new DatasetError('hash_mismatch', `dataset SHA-256 mismatch: client said ${claimedSha256}, the received lines hash to ${actual}; nothing was stored`);
    }
    checkRows('train', train);
    checkRows('eval', evalLines);
    const existing = this.find(actual);
    if (existing) return { dataset: existing, stored: false };
    const target = path.join(this.dir, actual);
    const staging = `${target}.partial-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    writeFileAtomic(path.join(staging, 'train.jsonl'), jsonlText(train));
    writeFileAtomic(path.join(staging, 'eval.jsonl'), jsonlText(evalLines));
    writeFileAtomic(path.join(staging, 'info.json'), JSON.stringify({ sha256: actual, trainExamples: train.length, evalExamples: evalLines.length, storedAt: Date.now() }));
    fs.renameSync(staging, target);
    fsyncDir(this.dir);
    return { dataset: this.find(actual) as StoredDataset, stored: true };
  }

  find(sha256: string): StoredDataset | undefined {
    if (!SHA256_HEX.test(sha256)) return undefined;
    const folder = path.join(this.dir, sha256);
    const info = readJsonIfExists<{ trainExamples: number; evalExamples: number }>(path.join(folder, 'info.json'));
    if (!info) return undefined;
    return { sha256, trainPath: path.join(folder, 'train.jsonl'), evalPath: path.join(folder, 'eval.jsonl'), trainExamples: info.trainExamples, evalExamples: info.evalExamples };
  }
}

function checkRows(split: string, lines: string[]): void {
  if (lines.length === 0) throw new DatasetError('bad_dataset', `the ${split} split is empty`);
  lines.forEach((line, index) => {
    const where = `${split} line ${index + 1}`;
    if (/[\r\n]/.test(line)) throw new DatasetError('bad_dataset', `${where} contains a line break; send one JSON object per line`);
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new DatasetError('bad_dataset', `${where} is not valid JSON: ${(error as Error).message}`);
    }
    const messages = (row as { messages?: unknown })?.messages;
    if (!Array.isArray(messages) || messages.length === 0) throw new DatasetError('bad_dataset', `${where} has no "messages" list`);
    if (!messages.some((m) => (m as { role?: unknown })?.role === 'assistant')) {
      throw new DatasetError('bad_dataset', `${where} has no assistant message to learn from`);
    }
  });
}
