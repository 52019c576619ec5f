// How the panel writes numbers, times and excerpts. Pure, so unit tests pin what users read.

/** 0.8735 -> "87%" (the meter's and the overview's rounding); null -> "—". */
export const percent = (value: number | null | undefined): string =>
  (value === null || value === undefined || !Number.isFinite(value) ? '—' : `${Math.round(value * 100)}%`);

/** 0.9333 -> "93.3%", as seed 000's Table 5.1 and `autodidact stats` print it. */
export const percent1 = (value: number | null | undefined): string =>
  (value === null || value === undefined || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)}%`);

/** 12345 -> "12,345" whatever the browser's locale, so tests and screenshots read the same. */
export const count = (value: number): string => Math.round(value).toLocaleString('en-US');

/** A difference of two 0..1 values in percentage points: "+4 pts", "−3 pts", "±0 pts". */
export function points(delta: number): string {
  const p = Math.round(delta * 100);
  return p === 0 ? '±0 pts' : `${p > 0 ? '+' : '−'}${Math.abs(p)} pt${Math.abs(p) === 1 ? '' : 's'}`;
}

export type Direction = 'up' | 'down' | 'flat';

export function direction(delta: number | null): Direction {
  if (delta === null) return 'flat';
  const p = Math.round(delta * 100);
  return p > 0 ? 'up' : p < 0 ? 'down' : 'flat';
}

/** Signed score contribution: "+0.15", "−0.20". */
export const signed = (value: number, digits = 2): string =>
  `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;

/** Seconds -> "45 s", "2 min 05 s", "1 h 04 min". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Nov 2026, 09:12" in local time: short, unambiguous in every locale. */
export function dateTime(epochMs: number): string {
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) return '—';
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${hh}:${mm}`;
}

/** One line of at most `max` characters, whitespace collapsed, with an ellipsis when cut. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1)).trimEnd()}…` : flat;
}

/** A loss or learning rate: 3 significant digits, exponent form when tiny. */
export function metric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value !== 0 && Math.abs(value) < 0.001) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}
