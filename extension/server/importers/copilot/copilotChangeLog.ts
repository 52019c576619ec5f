// Copilot Chat's .jsonl session files are a change log of the .json state: kind 0 sets the whole
// state, 1 sets the value at key path k, 2 appends items v to the array at k (truncating it at i
// first), 3 deletes the key at k. Replaying every line in order rebuilds the state; a compaction
// starts the file again with a kind 0 line.
import { isObject, type JsonObject } from '../readerSupport';

export interface ChangeOp {
  kind: number;
  k?: unknown;
  v?: unknown;
  i?: unknown;
}

type Container = JsonObject | unknown[];

function child(container: Container, key: string | number): unknown {
  return Array.isArray(container) ? container[Number(key)] : container[String(key)];
}

/** Walks to the parent of the last key, creating objects/arrays on the way. */
function parentOf(root: JsonObject, path: Array<string | number>): Container | undefined {
  let node: Container = root;
  for (let n = 0; n < path.length - 1; n++) {
    const key = path[n];
    let next = child(node, key);
    if (!isObject(next) && !Array.isArray(next)) {
      next = typeof path[n + 1] === 'number' ? [] : {};
      if (Array.isArray(node)) node[Number(key)] = next; else node[String(key)] = next;
    }
    node = next as Container;
  }
  return node;
}

function keyPath(k: unknown): Array<string | number> | undefined {
  if (!Array.isArray(k) || !k.every((part) => typeof part === 'string' || typeof part === 'number')) return undefined;
  return k as Array<string | number>;
}

/** Applies one operation; returns the new root (kind 0 replaces it) or undefined if malformed. */
export function applyChangeOp(root: JsonObject, op: ChangeOp): JsonObject | undefined {
  if (op.kind === 0) return isObject(op.v) ? op.v : undefined;
  const path = keyPath(op.k);
  if (!path || path.length === 0) return undefined;
  const parent = parentOf(root, path);
  if (!parent) return undefined;
  const last = path[path.length - 1];
  switch (op.kind) {
    case 1:
      if (Array.isArray(parent)) parent[Number(last)] = op.v; else parent[String(last)] = op.v;
      return root;
    case 2: {
      let target = child(parent, last);
      if (!Array.isArray(target)) {
        target = [];
        if (Array.isArray(parent)) parent[Number(last)] = target; else parent[String(last)] = target;
      }
      const array = target as unknown[];
      if (typeof op.i === 'number' && op.i >= 0) array.length = Math.min(array.length, op.i);
      if (Array.isArray(op.v)) array.push(...op.v);
      return root;
    }
    case 3:
      if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[String(last)];
      return root;
    default:
      return undefined;
  }
}
