// The three export formats and the dataset_info.json entries LLaMA-Factory needs to read them as is
// (see LLaMA-Factory data/README.md: openai = sharegpt formatting with role/content tags).
import type { ChatMessage, TrainingExample } from './trainingExample';

export type DatasetFormat = 'openai' | 'sharegpt' | 'alpaca';
export const DATASET_FORMATS: readonly DatasetFormat[] = ['openai', 'sharegpt', 'alpaca'];

export function isDatasetFormat(value: unknown): value is DatasetFormat {
  return typeof value === 'string' && (DATASET_FORMATS as readonly string[]).includes(value);
}

function systemOf(messages: readonly ChatMessage[]): string | undefined {
  return messages.find((m) => m.role === 'system')?.content;
}

function turns(messages: readonly ChatMessage[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const chat = messages.filter((m) => m.role !== 'system');
  for (let i = 0; i + 1 < chat.length; i += 2) out.push([chat[i].content, chat[i + 1].content]);
  return out;
}

/** One JSON object per example, in the chosen format. */
export function formatExample(example: TrainingExample, format: DatasetFormat): Record<string, unknown> {
  const system = systemOf(example.messages);
  switch (format) {
    case 'openai': {
      const messages = example.messages.map((m) => ({ role: m.role, content: m.content }));
      // Marked so a reader of the file (and the round's dataset) can tell model-written rows apart; trainers ignore the extra keys.
      return example.synthetic ? { messages, synthetic: true, kind: example.kind } : { messages };
    }
    case 'sharegpt': {
      const conversations = turns(example.messages).flatMap(([human, gpt]) => [{ from: 'human', value: human }, { from: 'gpt', value: gpt }]);
      return system ? { conversations, system } : { conversations };
    }
    case 'alpaca': {
      const all = turns(example.messages);
      const [instruction, output] = all[all.length - 1];
      const row: Record<string, unknown> = { instruction, input: '', output };
      if (system) row.system = system;
      if (all.length > 1) row.history = all.slice(0, -1);
      return row;
    }
  }
}

/** A dataset_info.json entry for a file in the given format. */
export function datasetInfoEntry(fileName: string, format: DatasetFormat): Record<string, unknown> {
  switch (format) {
    case 'openai':
      return {
        file_name: fileName,
        formatting: 'sharegpt',
        columns: { messages: 'messages' },
        tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
      };
    case 'sharegpt':
      return { file_name: fileName, formatting: 'sharegpt', columns: { messages: 'conversations', system: 'system' } };
    case 'alpaca':
      return { file_name: fileName, formatting: 'alpaca', columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system', history: 'history' } };
  }
}
