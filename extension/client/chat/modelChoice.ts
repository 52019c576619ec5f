// Which vscode.lm model answers @autodidact when no gateway is connected. The user decides: the
// `autodidact.chat.model` setting (an id or a family) first, then the model they picked with
// "Autodidact: Choose Chat Model..." (remembered in globalState), then the model selected in the
// chat view, then the only model there is; with several and no choice, ask.

export interface ModelInfo {
  readonly id: string;
  readonly family: string;
  readonly vendor: string;
  readonly name: string;
}

export type ModelDecision<M extends ModelInfo> =
  | { kind: 'use'; model: M; why: string }
  | { kind: 'ask'; models: M[]; why: string }
  | { kind: 'none' };

export function chooseModel<M extends ModelInfo>(models: readonly M[], setting: string, rememberedId: string | undefined, selectedInChat?: M): ModelDecision<M> {
  if (models.length === 0 && !selectedInChat) return { kind: 'none' };
  const wanted = setting.trim();
  if (wanted) {
    const match = matchSetting(models, wanted);
    if (match) return { kind: 'use', model: match, why: `the autodidact.chat.model setting (${wanted})` };
    return { kind: 'ask', models: [...models], why: `no model matches the autodidact.chat.model setting "${wanted}"` };
  }
  const remembered = rememberedId ? models.find((m) => m.id === rememberedId) : undefined;
  if (remembered) return { kind: 'use', model: remembered, why: 'your earlier choice' };
  if (selectedInChat) return { kind: 'use', model: selectedInChat, why: 'the model selected in the chat view' };
  if (models.length === 1) return { kind: 'use', model: models[0], why: 'the only model available' };
  return { kind: 'ask', models: [...models], why: 'several models are available' };
}

/** An exact id, then a family, then `vendor/family`, then a name (case-insensitive). */
function matchSetting<M extends ModelInfo>(models: readonly M[], wanted: string): M | undefined {
  const lower = wanted.toLowerCase();
  return models.find((m) => m.id === wanted)
    ?? models.find((m) => m.family === wanted)
    ?? models.find((m) => `${m.vendor}/${m.family}`.toLowerCase() === lower)
    ?? models.find((m) => m.name.toLowerCase() === lower);
}
