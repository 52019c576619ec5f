// Recomputes the patterns table for some categories. The user's choice to exclude a pattern from
// training survives: a recomputed pattern keeps the `included` flag of the pattern with the same id
// (same first member), or of an excluded pattern it mostly overlaps.
import { createHash } from 'node:crypto';
import type { Database } from 'sql.js';
import { jsonList, readRows } from '../scoring/dbRows';
import {
  averageEffectiveness, clusterMembers, effectivenessTrend, representativeOf, type ClusterOptions, type PatternMember,
} from './patternClustering';
import { patternNames } from './patternName';

export interface PatternOptions extends ClusterOptions {
  /** Clusters smaller than this are not patterns (a one-off request is not a habit). */
  minCount?: number;
}

/** Representative texts are for display; the dataset reads full interactions. */
const REPRESENTATIVE_CHARS = 4000;

export function patternId(category: string, leaderId: string): string {
  return createHash('sha256').update(`${category}\u0000${leaderId}`).digest('hex').slice(0, 24);
}

interface OldPattern { id: string; included: number; member_ids: string }

/** Returns how many patterns the categories now have. `'all'` also drops patterns of vanished categories. */
export function recomputePatterns(db: Database, categories: Iterable<string> | 'all', options: PatternOptions = {}): number {
  const minCount = options.minCount ?? 2;
  const names = categories === 'all'
    ? readRows<{ category: string }>(db, 'SELECT DISTINCT category FROM interactions WHERE category IS NOT NULL ORDER BY category').map((r) => r.category)
    : [...new Set(categories)].sort();
  if (categories === 'all') {
    const placeholders = names.map(() => '?').join(',');
    db.run(`DELETE FROM patterns WHERE category NOT IN (${placeholders || "''"})`, names);
  }
  let total = 0;
  const insert = db.prepare(`INSERT INTO patterns (id, category, name, representative_request, representative_solution, count,
    avg_effectiveness, trend, member_ids, included) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  try {
    for (const category of names) {
      const members = readRows<{ id: string; started_at: number; user_request: string; assistant_response: string; files_modified: string; effectiveness: number | null }>(db,
        `SELECT id, started_at, user_request, substr(assistant_response, 1, ${REPRESENTATIVE_CHARS}) AS assistant_response,
         files_modified, effectiveness FROM interactions WHERE category = ? ORDER BY started_at, id`, [category])
        .map((r): PatternMember => ({
          id: r.id, startedAt: r.started_at, request: r.user_request, response: r.assistant_response,
          files: jsonList(r.files_modified), effectiveness: r.effectiveness,
        }));
      // The user's journaled choices count too: after a rebuild from the journal there are no old rows.
      const old = [
        ...readRows<OldPattern>(db, 'SELECT id, included, member_ids FROM patterns WHERE category = ?', [category]),
        ...readRows<OldPattern>(db, 'SELECT pattern_id AS id, included, member_ids FROM pattern_choices ORDER BY at DESC'),
      ];
      db.run('DELETE FROM patterns WHERE category = ?', [category]);
      const clusters = clusterMembers(members, options);
      // Named against every cluster of the category, the one-member ones too: what a name contrasts with.
      const names = patternNames(clusters);
      for (const [index, cluster] of clusters.entries()) {
        if (cluster.members.length < minCount) continue;
        const id = patternId(category, cluster.leaderId);
        const memberIds = cluster.members.map((m) => m.id);
        const representative = representativeOf(cluster);
        insert.run([
          id, category, names[index] || fallbackName(representative.request), representative.request.slice(0, REPRESENTATIVE_CHARS), representative.response.slice(0, REPRESENTATIVE_CHARS),
          cluster.members.length, averageEffectiveness(cluster.members), effectivenessTrend(cluster.members),
          JSON.stringify(memberIds), inheritedIncluded(id, memberIds, old),
        ]);
        total++;
      }
    }
  } finally {
    insert.free();
  }
  return total;
}

/** Members that share no word (rare: they clustered on file names) are named by the representative's first words. */
function fallbackName(request: string): string {
  const words = request.replace(/\s+/g, ' ').trim().split(' ').slice(0, 6).join(' ');
  return words || '(empty request)';
}

function inheritedIncluded(id: string, memberIds: readonly string[], old: readonly OldPattern[]): number {
  const same = old.find((p) => p.id === id);
  if (same) return same.included;
  const members = new Set(memberIds);
  for (const p of old) {
    if (p.included) continue;
    const previous = jsonList(p.member_ids);
    const overlap = previous.filter((m) => members.has(m)).length;
    if (overlap * 2 >= memberIds.length) return 0;
  }
  return 1;
}
