// Asks the trainer-server's OpenAI gateway (the way a user's chat does) and measures the answers:
// compliance with a convention on unseen requests, and how far canary answers moved from the
// parent's own answers.

export interface Gateway {
  httpUrl: string;
  token: string;
}

/** One greedy answer from the live version (model "autodidact"). */
export async function ask(gateway: Gateway, request: string, maxTokens: number, model = 'autodidact'): Promise<string> {
  const response = await fetch(`${gateway.httpUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: request }], max_tokens: maxTokens, temperature: 0 }),
  });
  const body = await response.json() as { choices?: Array<{ message?: { content?: string } }>; error?: { message?: string } };
  if (!response.ok) throw new Error(`gateway ${response.status}: ${body.error?.message ?? JSON.stringify(body)}`);
  return body.choices?.[0]?.message?.content ?? '';
}

export async function askAll(gateway: Gateway, requests: readonly string[], maxTokens: number): Promise<{ answers: string[]; completionS: number }> {
  const answers: string[] = [];
  const t0 = performance.now();
  for (const request of requests) answers.push(await ask(gateway, request, maxTokens));
  return { answers, completionS: (performance.now() - t0) / 1000 };
}

const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9_]+|[^\sa-z0-9_]/g) ?? [];

/** 2·LCS / (|a| + |b|) over word tokens: 1 for the same answer, 0 for nothing in common. */
export function answerSimilarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.length + y.length === 0) return 1;
  let previous = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    const row = new Array<number>(y.length + 1).fill(0);
    for (let j = 1; j <= y.length; j++) row[j] = x[i - 1] === y[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], row[j - 1]);
    previous = row;
  }
  return (2 * previous[y.length]) / (x.length + y.length);
}

/** Canary drift: 1 − mean similarity of each canary answer to the parent's answer (0 = unchanged). */
export function canaryDrift(parent: readonly string[], candidate: readonly string[]): number {
  if (parent.length !== candidate.length || parent.length === 0) throw new Error('canary drift needs the same canaries answered by both versions');
  const mean = parent.reduce((sum, p, i) => sum + answerSimilarity(p, candidate[i]), 0) / parent.length;
  return 1 - mean;
}
