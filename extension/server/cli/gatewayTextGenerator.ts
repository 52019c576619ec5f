// The text generator for seed 000's synthetic examples when training from the CLI: the live version
// answering through the trainer-server's OpenAI gateway (same host and port as the trainer URL).
import type { TextGenerator } from '../dataset/syntheticExamples';

export function gatewayTextGenerator(trainerUrl: string, token: string, maxTokens = 160): TextGenerator {
  const endpoint = `${new URL(trainerUrl.replace(/^ws(s?):/, 'http$1:')).origin}/v1/chat/completions`;
  return async (prompt) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'autodidact', messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens, temperature: 0 }),
    });
    const body = await response.json() as { choices?: Array<{ message?: { content?: string } }>; error?: { message?: string } };
    if (!response.ok) throw new Error(`gateway ${response.status}: ${body.error?.message ?? 'no message'}`);
    return body.choices?.[0]?.message?.content ?? '';
  };
}
