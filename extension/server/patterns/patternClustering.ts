// Groups similar requests within a category: a leader clustering in time order. Each request joins
// the cluster whose first few members it most resembles (token-set Jaccard), or starts a new one.
// Because a request's cluster depends only on earlier requests, new sessions add to patterns without
// reshuffling old ones, and a pattern keeps its id (hash of its first member) across recomputes;
// that is what lets a user's "exclude from training" stick.
import { jaccard, requestTokens } from './requestTokens';

export interface PatternMember {
  id: string;
  startedAt: number;
  request: string;
  response: string;
  files: readonly string[];
  effectiveness: number | null;
}

export interface PatternCluster {
  leaderId: string;
  members: PatternMember[];
}

export interface ClusterOptions {
  /** Minimum Jaccard similarity to join a cluster. */
  threshold?: number;
  /** How many of a cluster's earliest members a request is compared with. */
  referenceMembers?: number;
}

export const DEFAULT_CLUSTER_THRESHOLD = 0.3;
const DEFAULT_REFERENCE_MEMBERS = 3;
const TYPICALITY_SAMPLE = 50;

export function byTimeThenId(a: PatternMember, b: PatternMember): number {
  return a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function clusterMembers(input: readonly PatternMember[], options: ClusterOptions = {}): PatternCluster[] {
  const threshold = options.threshold ?? DEFAULT_CLUSTER_THRESHOLD;
  const maxRefs = options.referenceMembers ?? DEFAULT_REFERENCE_MEMBERS;
  const members = [...input].sort(byTimeThenId);
  const clusters: PatternCluster[] = [];
  const references: Array<Array<Set<string>>> = [];
  // token -> [cluster, reference] pairs holding it: only clusters sharing a token are ever compared.
  const index = new Map<string, Array<[number, number]>>();

  for (const member of members) {
    const tokens = requestTokens(member.request, member.files);
    const shared = new Map<number, number>(); // key cluster * maxRefs + ref
    for (const token of tokens) {
      for (const [c, r] of index.get(token) ?? []) {
        const key = c * maxRefs + r;
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
    let bestCluster = -1;
    let bestSimilarity = 0;
    for (const [key, inter] of shared) {
      const c = Math.floor(key / maxRefs);
      const ref = references[c][key % maxRefs];
      const similarity = inter / (tokens.size + ref.size - inter);
      if (similarity > bestSimilarity || (similarity === bestSimilarity && c < bestCluster)) {
        bestSimilarity = similarity;
        bestCluster = c;
      }
    }
    if (bestCluster >= 0 && bestSimilarity >= threshold) {
      clusters[bestCluster].members.push(member);
      if (references[bestCluster].length < maxRefs) addReference(bestCluster, tokens);
    } else {
      clusters.push({ leaderId: member.id, members: [member] });
      references.push([]);
      addReference(clusters.length - 1, tokens);
    }
  }
  return clusters;

  function addReference(cluster: number, tokens: Set<string>): void {
    const r = references[cluster].length;
    references[cluster].push(tokens);
    for (const token of tokens) {
      const list = index.get(token) ?? [];
      list.push([cluster, r]);
      index.set(token, list);
    }
  }
}

/** The member that best stands for the cluster: most effective, then most typical, then earliest. */
export function representativeOf(cluster: PatternCluster): PatternMember {
  const top = Math.max(...cluster.members.map((m) => m.effectiveness ?? -1));
  const candidates = cluster.members.filter((m) => (m.effectiveness ?? -1) === top);
  if (candidates.length === 1) return candidates[0];
  // Typicality against a bounded sample keeps a 1,000-member pattern from costing a million comparisons.
  const sample = cluster.members.slice(0, TYPICALITY_SAMPLE).map((m) => ({ id: m.id, tokens: requestTokens(m.request, m.files) }));
  let best = candidates[0];
  let bestTypicality = -1;
  for (const candidate of candidates) {
    const own = requestTokens(candidate.request, candidate.files);
    let typicality = 0;
    for (const other of sample) if (other.id !== candidate.id) typicality += jaccard(own, other.tokens);
    if (typicality > bestTypicality) { best = candidate; bestTypicality = typicality; }
  }
  return best;
}

/** Recent half minus older half of the scored members' effectiveness; null below 4 scored members. */
export function effectivenessTrend(members: readonly PatternMember[]): number | null {
  const scored = members.filter((m) => m.effectiveness !== null).sort(byTimeThenId);
  if (scored.length < 4) return null;
  const half = Math.floor(scored.length / 2);
  const mean = (xs: readonly PatternMember[]): number => xs.reduce((s, m) => s + (m.effectiveness ?? 0), 0) / xs.length;
  return Math.round((mean(scored.slice(scored.length - half)) - mean(scored.slice(0, half))) * 10000) / 10000;
}

export function averageEffectiveness(members: readonly PatternMember[]): number | null {
  const scored = members.filter((m) => m.effectiveness !== null);
  if (scored.length === 0) return null;
  return Math.round((scored.reduce((s, m) => s + (m.effectiveness ?? 0), 0) / scored.length) * 10000) / 10000;
}
