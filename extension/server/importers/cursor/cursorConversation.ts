// Turns one Cursor conversation (a composer's bubbles in order, or an old chat tab's bubbles) into
// interactions: a user bubble opens a turn once the assistant has said or done anything, and every
// assistant bubble after it (text, thinking, one tool call each) belongs to that turn.
import type { StoredTurn } from '../sqlite/databaseImport';
import { InteractionDraft } from '../interactionDraft';
import { isObject, str, toEpochMs, type JsonObject } from '../readerSupport';
import { stableId } from '../stableId';
import { addCursorTool } from './cursorTools';

export interface CursorBubble {
  id: string;
  /** 'user' or 'assistant', from `type` 1/2 (current) or 'user'/'ai' (old chat tabs). */
  role: 'user' | 'assistant';
  value: JsonObject;
  /** Changes when the bubble's row changes: its text hash or update time. */
  signature: string;
}

export function bubbleRole(type: unknown): 'user' | 'assistant' | undefined {
  if (type === 1 || type === 'user') return 'user';
  if (type === 2 || type === 'ai' || type === 'assistant') return 'assistant';
  return undefined;
}

/** Text of a Lexical `richText` tree (a JSON string), for user bubbles whose `text` is empty. */
function richText(value: unknown): string {
  let tree: unknown = value;
  if (typeof value === 'string') {
    try { tree = JSON.parse(value); } catch { return ''; }
  }
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (!isObject(node)) return;
    if (typeof node.text === 'string') parts.push(node.text);
    if (Array.isArray(node.children)) {
      node.children.forEach(walk);
      if (node.type === 'paragraph') parts.push('\n');
    }
  };
  walk(isObject(tree) ? tree.root : undefined);
  return parts.join('').trim();
}

export interface ConversationInfo {
  /** Native conversation id: composerId or chat tabId. */
  key: string;
  model?: string;
  createdAt: number;
  /** The composer's `codeBlockData`: code the assistant proposed, by file, with what the user did with it. */
  codeBlockData?: unknown;
}

interface CodeBlockOutcome { codeblockId: string; path: string; status: string; at?: number }

/**
 * Code blocks the user accepted or rejected, by the bubble that proposed them. In chat and edit
 * modes these are the only record of an edit; in agent mode the edit tool names its code block,
 * and that one is left to the tool's own result.
 */
function codeBlocksByBubble(codeBlockData: unknown, bubbles: CursorBubble[]): Map<string, CodeBlockOutcome[]> {
  const fromTools = new Set<string>();
  for (const bubble of bubbles) {
    const tool = isObject(bubble.value.toolFormerData) ? bubble.value.toolFormerData : undefined;
    const id = tool && isObject(tool.additionalData) ? str(tool.additionalData.codeblockId) : undefined;
    if (id) fromTools.add(id);
  }
  const byBubble = new Map<string, CodeBlockOutcome[]>();
  for (const blocks of isObject(codeBlockData) ? Object.values(codeBlockData) : []) {
    for (const [codeblockId, block] of isObject(blocks) ? Object.entries(blocks) : []) {
      if (!isObject(block) || fromTools.has(codeblockId)) continue;
      const bubbleId = str(block.bubbleId);
      const uri = isObject(block.uri) ? block.uri : {};
      const path = str(uri.fsPath) ?? str(uri.path);
      const status = str(block.status) ?? '';
      if (!bubbleId || !path) continue;
      const list = byBubble.get(bubbleId) ?? [];
      list.push({ codeblockId, path, status, at: toEpochMs(block.lastAppliedAt) ?? toEpochMs(block.createdAt) });
      byBubble.set(bubbleId, list);
    }
  }
  return byBubble;
}

function addCodeBlockOutcomes(draft: InteractionDraft, blocks: CodeBlockOutcome[], at: number): void {
  for (const block of blocks) {
    const when = block.at ?? at;
    if (block.status === 'accepted' || block.status === 'applied') {
      draft.applyEdit({ path: block.path, tool: 'apply code block', at: when, key: `codeblock:${block.codeblockId}` });
      draft.addOutcome('edit_kept', 1, block.path, when, `codeblock:${block.codeblockId}`);
    } else if (block.status === 'rejected') {
      draft.addOutcome('edit_undone', -1, block.path, when, `codeblock:${block.codeblockId}`);
    }
  }
}

export function conversationTurns(info: ConversationInfo, bubbles: CursorBubble[], sessionId: string): StoredTurn[] {
  const turns: Array<{ draft: InteractionDraft; signatures: string[] }> = [];
  let current: { draft: InteractionDraft; signatures: string[] } | undefined;
  let lastAt = info.createdAt;
  const codeBlocks = codeBlocksByBubble(info.codeBlockData, bubbles);
  for (const bubble of bubbles) {
    // Old chat tabs record no times: a turn without one starts 1 ms after what came before, so
    // the turns keep their order when sorted by time.
    const recorded = toEpochMs(bubble.value.createdAt) ?? toEpochMs(bubble.value.timestamp);
    const opensTurn = bubble.role === 'user' && (!current || current.draft.hasAssistantActivity);
    const at = recorded ?? (opensTurn && current ? lastAt + 1 : lastAt);
    lastAt = Math.max(lastAt, at);
    if (bubble.role === 'user') {
      const text = str(bubble.value.text) || richText(bubble.value.richText);
      if (!current || current.draft.hasAssistantActivity) {
        current = { draft: new InteractionDraft(stableId('cursor', info.key, 'bubble', bubble.id), sessionId, 'cursor', at), signatures: [] };
        if (info.model) current.draft.model = info.model;
        turns.push(current);
      }
      current.draft.addRequest(text);
      current.signatures.push(bubble.signature);
      continue;
    }
    // Assistant output before any request (a conversation whose first bubble was lost) still counts.
    if (!current) {
      current = { draft: new InteractionDraft(stableId('cursor', info.key, 'bubble', bubble.id), sessionId, 'cursor', at), signatures: [] };
      turns.push(current);
    }
    const { draft } = current;
    current.signatures.push(bubble.signature);
    draft.touch(at);
    const model = isObject(bubble.value.modelInfo) ? str(bubble.value.modelInfo.modelName) : undefined;
    if (model) draft.model = model;
    const text = str(bubble.value.text) ?? '';
    if (text.trim() !== '') draft.addResponse(text);
    else draft.hasAssistantActivity = true;
    if (isObject(bubble.value.toolFormerData) && (str(bubble.value.toolFormerData.name) || bubble.value.toolFormerData.tool !== undefined)) {
      addCursorTool(draft, bubble.value.toolFormerData, bubble.id, at);
    }
    const blocks = codeBlocks.get(bubble.id);
    if (blocks) {
      addCodeBlockOutcomes(draft, blocks, at);
      current.signatures.push(JSON.stringify(blocks)); // accepting a block later changes the turn
    }
  }
  return turns.map((turn) => ({ draft: turn.draft, signature: stableId(...turn.signatures) }));
}
