// The labelled requests (fixtures/labelledRequests.json, written for this project) and the accuracy
// measure shared by the category tests and the benchmark.
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
