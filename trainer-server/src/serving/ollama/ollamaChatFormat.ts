// The base model's chat template, as Ollama needs it. Training renders chats with the base's Jinja
// template (engine/chat_template.py), so Ollama must build the very same prompt or the adapter sees
// text it was never trained on. Ollama templates are Go templates over .Messages, so the Jinja cannot
// be copied: the formats this project trains with are recognised and written out in Go instead:
// ChatML (SmolLM2, Qwen, the tiny test model) and the engine's fallback for bases without a template.
// A default system prompt that the Jinja inserts when a chat has none becomes the Modelfile's SYSTEM,
// which Ollama puts first in exactly that case.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface OllamaChatFormat {
  family: 'chatml' | 'engine-fallback';
  /** Go template over .Messages, ending with the assistant header (the generation prompt). */
  template: string;
  system?: string;
  stops: string[];
}

/** What the base model's folder says about chatting: its Jinja template (if any) and its EOS token. */
export interface BaseChatTemplate {
  jinja: string | undefined;
  eosToken: string | undefined;
}

const CHATML_TEMPLATE = '{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n';

/** The Go-template form of a Jinja chat template, or undefined when it is not a format recognised here. */
export function ollamaChatFormat(base: BaseChatTemplate): OllamaChatFormat | undefined {
  if (base.jinja === undefined) {
    // engine/chat_template.py FALLBACK_CHAT_TEMPLATE: "### role:\n" headers, EOS after assistant turns.
    const eos = base.eosToken ?? '';
    const template = `{{- range .Messages }}### {{ .Role }}:\n{{ .Content }}{{ if eq .Role "assistant" }}${eos}{{ end }}\n\n{{ end }}### assistant:\n`;
    return { family: 'engine-fallback', template, stops: [...(eos ? [eos] : []), '### user:'] };
  }
  const jinja = base.jinja;
  if (jinja.includes('<|im_start|>') && jinja.includes('<|im_end|>')) {
    return { family: 'chatml', template: CHATML_TEMPLATE, system: defaultChatmlSystem(jinja), stops: ['<|im_end|>', '<|im_start|>'] };
  }
  return undefined;
}

/** The system prompt a ChatML template inserts when the first message is not a system one. */
function defaultChatmlSystem(jinja: string): string | undefined {
  if (!/messages\[0\]\[['"]role['"]\]\s*!=\s*['"]system['"]/.test(jinja)) return undefined;
  const match = /<\|im_start\|>system(?:\n|\\n)([\s\S]*?)<\|im_end\|>/.exec(jinja);
  return match ? match[1].replace(/\\n/g, '\n') : undefined;
}

/** Reads the chat template the way transformers does: chat_template.jinja, else tokenizer_config.json. */
export function readBaseChatTemplate(baseDir: string): BaseChatTemplate {
  const config = readJson(path.join(baseDir, 'tokenizer_config.json')) as { chat_template?: unknown; eos_token?: unknown } | undefined;
  const eos = config?.eos_token;
  const eosToken = typeof eos === 'string' ? eos : typeof (eos as { content?: unknown })?.content === 'string' ? (eos as { content: string }).content : undefined;
  const jinjaFile = path.join(baseDir, 'chat_template.jinja');
  if (fs.existsSync(jinjaFile)) return { jinja: fs.readFileSync(jinjaFile, 'utf8'), eosToken };
  const raw = config?.chat_template;
  if (typeof raw === 'string') return { jinja: raw, eosToken };
  if (Array.isArray(raw)) {
    const named = raw.find((t: { name?: unknown }) => t?.name === 'default') as { template?: unknown } | undefined;
    if (typeof named?.template === 'string') return { jinja: named.template, eosToken };
  }
  return { jinja: undefined, eosToken };
}

/**
 * The folder holding the base model's files: the id itself when it is a folder, else the newest
 * snapshot in the Hugging Face cache (HF_HUB_CACHE, HF_HOME/hub or ~/.cache/huggingface/hub).
 */
export function baseModelDir(baseModelId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (fs.existsSync(path.join(baseModelId, 'config.json'))) return path.resolve(baseModelId);
  const hub = env.HF_HUB_CACHE ?? path.join(env.HF_HOME ?? path.join(os.homedir(), '.cache', 'huggingface'), 'hub');
  const snapshots = path.join(hub, `models--${baseModelId.replace(/\//g, '--')}`, 'snapshots');
  if (!fs.existsSync(snapshots)) return undefined;
  const found = fs.readdirSync(snapshots).map((name) => path.join(snapshots, name)).filter((dir) => fs.existsSync(path.join(dir, 'config.json')));
  found.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return found[0];
}

/** The architecture named in the base's config.json (model_type), e.g. "llama". */
export function baseArchitecture(baseDir: string): string | undefined {
  const config = readJson(path.join(baseDir, 'config.json')) as { model_type?: unknown } | undefined;
  return typeof config?.model_type === 'string' ? config.model_type : undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
