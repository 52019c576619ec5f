// The labelled requests (fixtures/labelledRequests.json, written for this project) and the accuracy
// measure shared by the category tests and the benchmark.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClassifierInput } from '../../extension/server/categories/ruleClassifier';

export interface LabelledRequest { request: string; files?: string[]; category: string }

export function labelledRequests(): LabelledRequest[] {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'labelledRequests.json'), 'utf8')) as LabelledRequest[];
}

export const asInput = (l: LabelledRequest): ClassifierInput => ({ request: l.request, files: l.files ?? [] });

export function accuracy(labels: readonly LabelledRequest[], predicted: readonly string[]): number {
  return labels.filter((l, i) => l.category === predicted[i]).length / labels.length;
}

/** Requests from the real transcripts in ../shared, labelled by hand (fixtures/labelledTranscriptRequests.json).
 *  Each is keyed by requestKey of its text, so the repository holds no copy of the transcripts. */
export interface LabelledTranscriptRequest { key: string; category: string; note: string }

export function labelledTranscriptRequests(): LabelledTranscriptRequest[] {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'labelledTranscriptRequests.json'), 'utf8')) as LabelledTranscriptRequest[];
}

/** The first 200 characters, whitespace collapsed and lower-cased, hashed: an importer that trims a
 *  trailing line or changes spacing does not orphan a label. */
export function requestKey(request: string): string {
  return createHash('sha256').update(request.replace(/\s+/g, ' ').trim().toLowerCase().slice(0, 200)).digest('hex').slice(0, 16);
}
