// Chart geometry as pure functions (unit-tested); svgCharts.ts turns it into SVG elements. Sizes are
// in CSS pixels of the actual container, so text is never scaled and stays crisp at any width.

export interface BarInput { label: string; value: number; note: string }

export interface BarRow {
  label: string;
  /** The label as drawn: cut with an ellipsis to leave room for the note. */
  shownLabel: string;
  note: string;
  textY: number;
  barY: number;
  barWidth: number;
  trackWidth: number;
}

export interface BarChartGeometry { width: number; height: number; rows: BarRow[]; barHeight: number; referenceX: number | null }

export const BAR_LAYOUT = { rowHeight: 34, barHeight: 8, textBaseline: 13, barOffset: 19, charWidth: 6.6, gap: 12 } as const;

/** Cuts text that would be wider than `pixels` at about `charWidth` per character. */
export function fitText(text: string, pixels: number, charWidth: number = BAR_LAYOUT.charWidth): string {
  const room = Math.floor(pixels / charWidth);
  if (text.length <= room) return text;
  return room <= 1 ? '…' : `${text.slice(0, room - 1).trimEnd()}…`;
}

/**
 * Horizontal bars, one row per input: the label left and the note (value) right on one line, the
 * bar under them across the full width. `max` is the value of a full bar (1 for effectiveness);
 * `reference` draws a marker (the overall average).
 */
export function barChart(inputs: readonly BarInput[], width: number, max = 1, reference: number | null = null): BarChartGeometry {
  const w = Math.max(80, Math.floor(width));
  const L = BAR_LAYOUT;
  const rows = inputs.map((input, i): BarRow => {
    const noteWidth = input.note.length * L.charWidth;
    const fraction = max > 0 ? Math.min(1, Math.max(0, input.value / max)) : 0;
    return {
      label: input.label,
      shownLabel: fitText(input.label, w - noteWidth - L.gap),
      note: input.note,
      textY: i * L.rowHeight + L.textBaseline,
      barY: i * L.rowHeight + L.barOffset,
      // A non-zero value always shows at least a sliver.
      barWidth: fraction === 0 ? 0 : Math.max(2, Math.round(fraction * w * 10) / 10),
      trackWidth: w,
    };
  });
  const referenceX = reference === null || max <= 0 ? null : Math.round(Math.min(1, Math.max(0, reference / max)) * w * 10) / 10;
  return { width: w, height: Math.max(L.rowHeight, inputs.length * L.rowHeight), rows, barHeight: L.barHeight, referenceX };
}

export interface SparklineGeometry {
  width: number;
  height: number;
  /** SVG `points` attribute of the polyline. */
  points: string;
  last: { x: number; y: number } | null;
  min: number;
  max: number;
}

/**
 * A line through the values, left to right, scaled to fill the box within `pad`. A flat series draws
 * mid-height; fewer than two values give no line (one point is not a trend).
 */
export function sparkline(values: readonly number[], width: number, height: number, pad = 3): SparklineGeometry {
  const finite = values.filter((v) => Number.isFinite(v));
  const w = Math.max(20, Math.floor(width));
  const h = Math.max(10, Math.floor(height));
  if (finite.length < 2) return { width: w, height: h, points: '', last: null, min: finite[0] ?? 0, max: finite[0] ?? 0 };
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min;
  const step = (w - 2 * pad) / (finite.length - 1);
  const coords = finite.map((v, i) => {
    const x = pad + i * step;
    const y = span === 0 ? h / 2 : pad + (1 - (v - min) / span) * (h - 2 * pad);
    return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
  });
  return { width: w, height: h, points: coords.map((c) => `${c.x},${c.y}`).join(' '), last: coords[coords.length - 1], min, max };
}
