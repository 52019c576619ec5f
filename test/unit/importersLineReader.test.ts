// The line reader's byte offsets must be exact whatever the chunk size: lines that straddle
// chunks, multi-byte characters cut by a chunk edge, lines longer than a chunk, oversized lines.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readLines, type LineInfo } from '../../extension/server/importers/lineReader';

function file(content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'autodidact-lines-')), 'f.jsonl');
  writeFileSync(path, content);
  return path;
}

async function collect(path: string, chunkBytes: number, extra: { start?: number; maxLineBytes?: number } = {}): Promise<{ lines: LineInfo[]; oversized: Array<[number, number]> }> {
  const lines: LineInfo[] = [];
  const oversized: Array<[number, number]> = [];
  await readLines(path, { chunkBytes, ...extra, onLine: (line) => { lines.push(line); }, onOversized: (at, bytes) => { oversized.push([at, bytes]); } });
  return { lines, oversized };
}

describe('readLines', () => {
  const texts = ['{"a":"héllo 🙂"}', '', 'x'.repeat(37), '{"b":"日本語のテキスト"}', 'last'];
  const content = `${texts.join('\n')}\n`;
  const bytes = Buffer.from(content);

  for (const chunk of [1, 2, 3, 5, 7, 16, 64, 4096]) {
    it(`gives the same lines and byte offsets with ${chunk}-byte chunks`, async () => {
      const { lines } = await collect(file(content), chunk);
      assert.deepEqual(lines.map((l) => l.text), texts);
      for (const line of lines) {
        assert.equal(bytes.toString('utf8', line.start, line.end - 1), line.text);
        assert.equal(bytes[line.end - 1], 10);
      }
    });
  }

  it('resumes at a byte offset and flags an unterminated last line', async () => {
    const path = file(`${content}{"partial":`);
    const start = Buffer.byteLength(`${texts.slice(0, 3).join('\n')}\n`);
    const { lines } = await collect(path, 5, { start });
    assert.deepEqual(lines.map((l) => [l.text, l.unterminated]), [[texts[3], false], ['last', false], ['{"partial":', true]]);
    assert.equal(lines[2].end, Buffer.byteLength(`${content}{"partial":`));
  });

  it('skips lines over the size limit and reports them', async () => {
    const path = file(`short\n${'y'.repeat(100)}\nafter\n${'z'.repeat(50)}`);
    const { lines, oversized } = await collect(path, 8, { maxLineBytes: 20 });
    assert.deepEqual(lines.map((l) => l.text), ['short', 'after']);
    assert.deepEqual(oversized, [[6, 101], [113, 50]]);
  });
});
