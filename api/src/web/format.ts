import { html, type Html } from './html.js';

/** Badge colours by the statuses and outcomes the service knows; anything else is plain. */
const STATUS_CLASSES = new Set(['ok', 'holds', 'done', 'violated', 'failed', 'illegal', 'unknown', 'not-applicable', 'cancelled', 'running', 'queued']);

export function badge(status: string | null | undefined, text?: string): Html {
  if (status === null || status === undefined) return html`<span class="badge">—</span>`;
  const cls = STATUS_CLASSES.has(status) ? ` st-${status}` : '';
  return html`<span class="badge${cls}">${text ?? (status === 'not-applicable' ? 'not applicable' : status)}</span>`;
}

/** A moment as UTC text a person reads, with the machine-readable value alongside. */
export function when(date: Date | string | null | undefined): Html {
  if (date === null || date === undefined) return html`<span class="muted">—</span>`;
  const d = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return html`<span class="muted">—</span>`;
  const iso = d.toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')}Z</time>`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export function between(from: Date | null | undefined, to: Date | null | undefined): string {
  return from == null || to == null ? '—' : duration(to.getTime() - from.getTime());
}

/** A value from a history as compact JSON, cut to `max` characters (escaped later, as all text). */
export function shortJson(value: unknown, max = 200): string {
  let text: string;
  try {
    text = value === undefined ? '?' : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function bytes(n: number | bigint | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const v = Number(n);
  if (v < 1024) return `${v} B`;
  if (v < 1024 ** 2) return `${(v / 1024).toFixed(1)} KiB`;
  if (v < 1024 ** 3) return `${(v / 1024 ** 2).toFixed(1)} MiB`;
  return `${(v / 1024 ** 3).toFixed(2)} GiB`;
}

/** A process id as the history names it: integers bare, names quoted. */
export function processName(p: unknown): string {
  return typeof p === 'number' ? String(p) : JSON.stringify(p) ?? String(p);
}

/** Narrows an unknown JSON value to an object (reports are read back from the database). */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
