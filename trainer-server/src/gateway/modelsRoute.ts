// GET /v1/models and /v1/models/{id}: `autodidact` (whatever is live) plus one entry per version.
import { LIVE_MODEL_NAME, type VersionsSnapshot } from '../../../extension/protocol/trainerProtocol';
import { modelNotFound } from './openaiErrors';

interface ModelCard { id: string; object: 'model'; created: number; owned_by: string; root: string; parent: string | null }

export function modelCards(snapshot: VersionsSnapshot): ModelCard[] {
  const live = snapshot.versions.find((v) => v.name === snapshot.live);
  const cards: ModelCard[] = [{
    id: LIVE_MODEL_NAME, object: 'model', created: Math.floor((live?.createdAt ?? 0) / 1000), owned_by: 'autodidact', root: live?.model ?? '', parent: snapshot.baseModel.id,
  }];
  for (const version of snapshot.versions) {
    cards.push({ id: version.model, object: 'model', created: Math.floor(version.createdAt / 1000), owned_by: 'autodidact', root: version.model, parent: snapshot.baseModel.id });
  }
  return cards;
}

export function listModels(snapshot: VersionsSnapshot): unknown {
  return { object: 'list', data: modelCards(snapshot) };
}

export function getModel(snapshot: VersionsSnapshot, id: string): unknown {
  const card = modelCards(snapshot).find((c) => c.id === id);
  if (!card) throw modelNotFound(id);
  return card;
}
