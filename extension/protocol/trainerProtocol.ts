// Messages between the trainer-server and its clients (the extension, the CLI, tests), over one
// WebSocket as JSON text frames. Requests are {id, method, params}; replies {id, result} or
// {id, error: {code, message}}; events {event, ...} are pushed by the server. The first request on
// a connection must be `hello`, which checks the protocol version. The OpenAI-compatible gateway
// shares the server's port and token but speaks plain HTTP (see trainer-server/README.md).
import type { CaptureEvent } from './records';

/** Bumped on any change a client of the previous version would misread. */
export const TRAINER_PROTOCOL_VERSION = 1;
/** The WebSocket subprotocol the server selects; clients must offer it. */
export const TRAINER_WS_SUBPROTOCOL = 'autodidact-trainer.v1';
/** Browser clients cannot set headers, so they may offer `autodidact-token.<token>` as a subprotocol. */
export const TOKEN_SUBPROTOCOL_PREFIX = 'autodidact-token.';
export const DEFAULT_TRAINER_PORT = 7878;
/** The gateway model name that always means "the live version". */
export const LIVE_MODEL_NAME = 'autodidact';

export interface BaseModelInfo {
  /** What the engine actually loaded: a hub id or a local folder. */
  id: string;
  /** What was asked for (the embedded default or --base-model). */
  requested: string;
  /** True when the requested model could not be had and a locally built tiny model stands in. */
  fallback: boolean;
  reason?: string;
  device?: string;
  dtype?: string;
  params?: number;
}

/** Held-out metrics on answer tokens, as the engine reports them. */
export interface EvalMetrics {
  eval_loss: number;
  token_accuracy: number;
  exact_match?: number;
  examples?: number;
  answer_tokens?: number;
}

/** The engine's training settings; anything left out takes the engine's default, chosen by measurement
 * (trainer-server/engine/SETTINGS.md). `preset: 'seed000'` starts from seed 000's recipe instead. */
export interface TrainConfig {
  preset?: 'default' | 'seed000';
  /** Share of the training set made of replay: the parent's own answers to general requests. */
  replay_share?: number;
  /** How replay is learnt: 'kl' = towards the parent's next-token distribution (self-distillation), 'answers' = on its answer text. */
  replay_loss?: 'kl' | 'answers';
  /** Weight of the replay KL against the user's answer tokens. */
  replay_weight?: number;
  rank?: number;
  alpha?: number;
  dropout?: number;
  learning_rate?: number;
  batch_size?: number;
  grad_accum?: number;
  epochs?: number;
  max_seq_len?: number;
  target_modules?: 'auto' | 'all-linear' | string[];
  seed?: number;
  max_steps?: number | null;
  warmup_ratio?: number;
  lr_scheduler?: 'linear' | 'constant' | 'cosine';
  weight_decay?: number;
  max_grad_norm?: number;
  gradient_checkpointing?: boolean;
}

/** When a candidate may replace the live version. Every condition must hold. */
export interface PromotionPolicy {
  /** Held-out loss must fall by at least this fraction of the live loss (0.01 = 1 %). */
  minRelativeLossDecrease: number;
  /** Token accuracy may fall by at most this much (0 = must not get worse). */
  maxTokenAccuracyDrop: number;
  /** Generated answers to held-out requests must agree with the reference answers by at least this much more (0.05 = 5 points). */
  minAgreementGain?: number;
  /** At most this share of canary answers may drift (similarity to the parent's answer below the engine's bound). */
  maxCanaryDriftShare?: number;
}

/** The behavioural half of the gate for one version, from the engine's `behaviour` method. */
export interface BehaviourSummary {
  /** Mean agreement of generated held-out answers with the reference answers (0..1), overall and per category. */
  heldOut: { agreement: number | null; scored: number; perCategory: Record<string, { n: number; agreement: number | null }> };
  /** Canary answers compared with the parent's; absent for the parent itself. */
  canary: {
    similarity: number; drifted: number; driftShare: number; n: number;
    /** Answers below the wording bound; of those only the ones the candidate finds less likely than the parent did drifted. */
    reworded?: number;
    /** Answers that picked up an identifier of the user's data the parent's answer did not have (always drifted). */
    leaked?: number;
    /** Mean rise of the candidate's NLL per token on the parent's own answers (teacher-forced). */
    nllIncrease?: number | null;
    perCategory: Record<string, { n: number; similarity: number; drifted: number }>;
  } | null;
  maxNewTokens: number;
  generatedTokens: number;
  wallS: number;
}

/** One row of seed 000's Table 5.3 form: category | before | after | change. */
export interface GateTableRow {
  /** Which half of the gate: agreement on held-out requests, or similarity to the parent on canary requests. */
  kind: 'held-out' | 'canary';
  category: string;
  n: number;
  before: number | null;
  after: number | null;
  change: number | null;
}

/** How many examples a round trained on, and why any were not used. */
export interface DatasetUsage {
  used: number;
  dropped: number;
  /** Reason -> count, e.g. "longer than max_seq_len": 2. */
  reasons: Record<string, number>;
  userExamples: number;
  /** unfinished: answers that hit the generation budget (still used with the 'kl' loss); skipped: not trained on. */
  replay: { requested: number; used: number; unfinished: number; skipped?: number; loss?: string };
}

export interface VersionRecord {
  /** v1.0 is the base model; v1.1, v1.2... are promoted candidates. Never reused. */
  name: string;
  /** The gateway model name and the adapter name served for this version (autodidact-v1.2). */
  model: string;
  adapterPath: string | null;
  adapterSha256: string | null;
  parent: string | null;
  roundId: string | null;
  createdAt: number;
  /** Held-out metrics measured when it was promoted. */
  metrics: EvalMetrics | null;
  /** In snapshots only (never stored): which backend the gateway sends this version's requests to now. */
  servedBy?: ServedBy;
}

/** A backend (trainer-server serving/backendChoice.ts decides) and the name the version has there. */
export interface ServedBy {
  backend: 'engine' | 'llama.cpp' | 'ollama' | 'vllm' | 'sglang';
  /** The adapter name (engine, llama.cpp, vLLM, SGLang), the Ollama tag, or 'base model'. */
  name: string;
}

export interface LiveChange {
  at: number;
  from: string | null;
  to: string;
  reason: 'initial' | 'promotion' | 'rollback';
}

export interface VersionsSnapshot {
  live: string;
  versions: VersionRecord[];
  history: LiveChange[];
  baseModel: BaseModelInfo;
}

export type RoundState = 'queued' | 'running' | 'promoted' | 'rejected' | 'failed' | 'cancelled';
export type RoundPhase = 'queued' | 'evaluate-live' | 'train' | 'evaluate-candidate' | 'promote' | 'done';

export interface TrainingSummary {
  steps: number;
  final_loss: number;
  train_tokens: number;
  tokens_per_s: number;
  train_wall_s: number;
  examples: number;
}

/** Seed 001's receipt: everything needed to judge, reproduce or undo a round. */
export interface RoundManifest {
  schema: 1;
  roundId: string;
  state: RoundState;
  phase: RoundPhase;
  /** The live version when the round started; the candidate is compared with it. */
  parent: string | null;
  /** The version name given on promotion; null otherwise. */
  version: string | null;
  baseModel: { id: string; fallback: boolean };
  dataset: { sha256: string; trainExamples: number; evalExamples: number };
  config: TrainConfig;
  promotion: PromotionPolicy;
  /** Whether the candidate started from the parent's adapter (true) or from the base model. */
  continueFromParent: boolean;
  metrics: { before: EvalMetrics | null; after: EvalMetrics | null; training: TrainingSummary | null };
  /** Generated-answer measurements of the parent (before) and the candidate (after); absent on old manifests. */
  behaviour?: { before: BehaviourSummary | null; after: BehaviourSummary | null };
  /** The gate as a before/after table per category (held-out agreement, canary similarity to the parent). */
  gateTable?: GateTableRow[];
  /** What the engine trained on; absent on old manifests. */
  datasetUsage?: DatasetUsage;
  decision: { promoted: boolean; reason: string; failed?: string[] } | null;
  adapter: { path: string; sha256: string } | null;
  timings: {
    queuedAt: number;
    startedAt?: number;
    endedAt?: number;
    evaluateLiveMs?: number;
    trainMs?: number;
    /** trainMs split by the engine: replay, dataset, adapter_setup, training, evaluation, save (ms). */
    trainPartsMs?: Record<string, number>;
    evaluateCandidateMs?: number;
    promoteMs?: number;
    totalMs?: number;
  };
  error?: string;
}

export interface EngineState {
  state: 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';
  pid: number | null;
  restarts: number;
  lastExit?: string;
}

export interface TrainerStatus {
  protocol: number;
  server: { name: 'autodidact-trainer'; version: string };
  /** Null until the engine has loaded the base model (a first download can take minutes). */
  baseModel: BaseModelInfo | null;
  live: string | null;
  engine: EngineState;
  queue: { running: string | null; queued: string[] };
  captureBuffered: number;
  /** Why the server cannot train or serve, when it cannot (e.g. the engine failed to start). */
  error?: string;
}

/** One gateway exchange for the extension's store, identified by its interaction id (the ack key). */
export interface CapturedExchange {
  id: string;
  events: CaptureEvent[];
}

export interface TrainerMethods {
  hello: { params: { protocol: number; client: string; capture?: boolean }; result: TrainerStatus };
  status: { params: Record<string, never>; result: TrainerStatus };
  /** Lines are the dataset builder's OpenAI-chat JSONL rows; sha256 is datasetSha256(train, eval). */
  uploadDataset: {
    params: { train: string[]; eval: string[]; sha256: string };
    result: { sha256: string; trainExamples: number; evalExamples: number; stored: boolean };
  };
  startRound: {
    params: { datasetSha256: string; config?: TrainConfig; promotion?: Partial<PromotionPolicy>; continueFromParent?: boolean };
    result: { roundId: string; position: number };
  };
  cancelRound: { params: { roundId: string }; result: { cancelled: boolean; state: RoundState | 'unknown' } };
  getRound: { params: { roundId: string }; result: RoundManifest };
  listRounds: { params: Record<string, never>; result: { rounds: RoundManifest[] } };
  listVersions: { params: Record<string, never>; result: VersionsSnapshot };
  rollback: { params: { version: string }; result: VersionsSnapshot };
  ackCapture: { params: { ids: string[] }; result: { removed: number; pending: number } };
  /** A version as a folder `ollama create` reads; `from` names the Ollama model holding the base's weights. */
  exportVersion: { params: { version: string; format: 'ollama'; from?: string }; result: VersionExport };
}

/** An exported version: a Modelfile and the files beside it (base64, each with its SHA-256). */
export interface VersionExport {
  tag: string;
  from: string;
  modelfile: string;
  files: Array<{ path: string; sha256: string; base64: string }>;
  warnings: string[];
}

export type TrainerMethod = keyof TrainerMethods;

export interface TrainerRequest<M extends TrainerMethod = TrainerMethod> {
  id: number | string;
  method: M;
  params: TrainerMethods[M]['params'];
}

export type TrainerErrorCode =
  | 'protocol_mismatch' | 'hello_required' | 'bad_request' | 'unknown_method' | 'not_found'
  | 'hash_mismatch' | 'bad_dataset' | 'conflict' | 'engine_unavailable' | 'internal';

export interface TrainerError { code: TrainerErrorCode; message: string }

export type TrainerReply =
  | { id: number | string | null; result: unknown }
  | { id: number | string | null; error: TrainerError };

export interface ProgressEvent {
  event: 'progress';
  roundId: string;
  phase: RoundPhase;
  step: number;
  totalSteps: number;
  loss: number;
  learningRate: number;
  tokensPerS: number;
  etaS: number;
}

export type TrainerEvent =
  | ProgressEvent
  | { event: 'round'; manifest: RoundManifest }
  | { event: 'versions'; snapshot: VersionsSnapshot }
  | { event: 'status'; status: TrainerStatus }
  | { event: 'capture'; exchanges: CapturedExchange[] }
  | { event: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export function isTrainerEvent(message: unknown): message is TrainerEvent {
  return typeof message === 'object' && message !== null && typeof (message as { event?: unknown }).event === 'string';
}

/** The gateway model name of a version: `autodidact-v1.2`. */
export function modelNameOf(version: string): string {
  return `${LIVE_MODEL_NAME}-${version}`;
}
