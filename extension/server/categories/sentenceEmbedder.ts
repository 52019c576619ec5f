// Sentence embeddings from transformers.js (all-MiniLM-L6-v2 by default: 384 dims, ~23 M params,
// int8-quantized, fast on a CPU). The library and its ONNX runtime are loaded with `await import()` only when the
// first embedding is needed, so starting the analysis server stays cheap and a machine without the
// model still classifies with rules.
import * as fs from 'node:fs';

export const DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';

export interface SentenceEmbedder {
  readonly modelId: string;
  /** Unit-length vectors (cosine similarity = dot product), one per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface EmbedderOptions {
  modelId?: string;
  /** Where a downloaded model is cached: the extension's global storage in the product. */
  cacheDir?: string;
  /** A folder holding `<modelId>/config.json, tokenizer.json, onnx/model.onnx` prepared offline. */
  localModelPath?: string;
  /** False in tests and for air-gapped users: only local files are used. */
  allowRemoteModels?: boolean;
  /** ONNX Runtime intra-op threads; small by default, the machine is shared with the editor. */
  threads?: number;
  batchSize?: number;
  /** 'q8' (default): int8 weights, twice as fast on a CPU and a quarter of the download, same accuracy
   *  on our labelled set; 'fp32': the full-precision graph. */
  dtype?: 'q8' | 'fp32';
}

/** Texts are cut before tokenising. A request's topic is in its first lines, and attention cost grows
 *  with the square of the length: 500 characters (~125 word pieces) embed ~3x faster than 1,000. */
const MAX_TEXT_CHARS = 500;

interface FeatureTensor { data: Float32Array; dims: number[] }
type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<FeatureTensor>;

type TransformersLibrary = typeof import('@huggingface/transformers');

/**
 * The library's CommonJS build through require(), which honours NODE_PATH: `npm start` points the
 * installed extension at the repository's node_modules that way, since the VSIX does not carry the
 * platform-specific ONNX runtime. import() is the fallback (it ignores NODE_PATH).
 */
async function loadTransformersLibrary(): Promise<TransformersLibrary> {
  try {
    return require('@huggingface/transformers') as TransformersLibrary;
  } catch {
    return import('@huggingface/transformers');
  }
}

export async function loadTransformersEmbedder(options: EmbedderOptions = {}): Promise<SentenceEmbedder> {
  const modelId = options.modelId ?? DEFAULT_EMBEDDING_MODEL;
  const transformers = await loadTransformersLibrary();
  const { env } = transformers;
  if (options.localModelPath !== undefined) {
    if (!fs.existsSync(options.localModelPath)) throw new Error(`model folder ${options.localModelPath} does not exist`);
    env.localModelPath = options.localModelPath.endsWith('/') ? options.localModelPath : `${options.localModelPath}/`;
    env.allowLocalModels = true;
  }
  if (options.cacheDir !== undefined) {
    fs.mkdirSync(options.cacheDir, { recursive: true });
    env.cacheDir = options.cacheDir;
  }
  env.allowRemoteModels = options.allowRemoteModels ?? true;
  const threads = Math.max(1, options.threads ?? 1);
  const extractor = (await transformers.pipeline('feature-extraction', modelId, {
    dtype: options.dtype ?? 'q8',
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  })) as unknown as Extractor;
  const batchSize = Math.max(1, options.batchSize ?? 16);
  return {
    modelId,
    async embed(texts: readonly string[]): Promise<Float32Array[]> {
      const vectors: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize).map((t) => (t.trim() === '' ? '(empty)' : t.slice(0, MAX_TEXT_CHARS)));
        const output = await extractor(batch, { pooling: 'mean', normalize: true });
        const dims = output.dims[output.dims.length - 1];
        for (let row = 0; row < batch.length; row++) vectors.push(output.data.slice(row * dims, (row + 1) * dims));
      }
      return vectors;
    },
  };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}
