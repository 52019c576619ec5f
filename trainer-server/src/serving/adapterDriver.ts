// Something that serves adapters by name on top of one copy of the base model: the engine in this
// process tree, or a vLLM server. Names are versioned (autodidact-v1.2) and never reused for other
// weights, so loading a name that is already loaded is harmless.
export interface AdapterDriver {
  readonly label: string;
  isLoaded(adapter: string): boolean;
  load(adapter: string, adapterPath: string): Promise<void>;
  unload(adapter: string): Promise<void>;
}
