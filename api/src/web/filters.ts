import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CONSISTENCY_LEVELS, ISOLATION_LEVELS, SESSION_GUARANTEES } from '@verdict/checker';
import { PROTOCOL_NAMES } from '@verdict/workers';
import { JOB_STATUSES, OUTCOMES } from '../http/schemas/job.js';
import { html, link, type Html } from './html.js';

/**
 * The pages' filter forms and their query strings. A form sends every field, empty ones as ""
 * ("any"), so each choice also accepts "" and `present` drops those before the store sees them.
 */
const anyOr = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Literal('')]));
const oneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Cursor = Type.Optional(Type.String({ maxLength: 64 }));
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200 }));

export const JobListPageQuerySchema = Type.Object({
  status: anyOr(oneOf(JOB_STATUSES)),
  outcome: anyOr(oneOf(OUTCOMES)),
  kind: anyOr(oneOf(['check', 'run', 'test'] as const)),
  protocol: Type.Optional(Type.String({ maxLength: 64 })),
  anomaly: Type.Optional(Type.String({ maxLength: 64 })),
  bug: Type.Optional(Type.String({ maxLength: 64 })),
  scenario: Type.Optional(Type.String({ maxLength: 64 })),
  nemesis: Type.Optional(Type.String({ maxLength: 64 })),
  seed: anyOr(Type.String({ pattern: '^[0-9]{1,15}$' })),
  limit: Limit,
  cursor: Cursor,
}, { additionalProperties: false });
export type JobListPageQuery = Static<typeof JobListPageQuerySchema>;

export const ANOMALY_CATEGORIES = ['isolation', 'consistency', 'linearizability'] as const;

export const AnomaliesPageQuerySchema = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 64 })),
  level: Type.Optional(Type.String({ maxLength: 64 })),
  category: anyOr(oneOf(ANOMALY_CATEGORIES)),
  protocol: Type.Optional(Type.String({ maxLength: 64 })),
  jobId: anyOr(Type.String({ format: 'uuid' })),
  limit: Limit,
  cursor: Cursor,
}, { additionalProperties: false });
export type AnomaliesPageQuery = Static<typeof AnomaliesPageQuerySchema>;

/** The query without its empty ("any") fields, trimmed. */
export function present<T extends Record<string, unknown>>(query: T): { [K in keyof T]?: Exclude<T[K], ''> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    const value = typeof v === 'string' ? v.trim() : v;
    if (value !== undefined && value !== '') out[k] = value;
  }
  return out as { [K in keyof T]?: Exclude<T[K], ''> };
}

/** Anomaly and violation types the checker reports, offered as suggestions (any type may be typed). */
export const KNOWN_ANOMALY_TYPES: readonly string[] = [
  'linearizability', 'sequential', ...SESSION_GUARANTEES, 'convergence', 'lost-write', 'invented-value',
  'G0', 'G1a', 'G1b', 'G1c', 'G-single', 'G2-item', 'G2', 'lost-update', 'non-repeatable-read', 'phantom-read',
  'internal-inconsistency', 'duplicate-value', 'impossible-value', 'non-atomic-commit', 'G-nonadjacent', 'incompatible-order',
];

export const KNOWN_PROTOCOLS: readonly string[] = PROTOCOL_NAMES;

export const KNOWN_LEVELS: readonly string[] = [...CONSISTENCY_LEVELS, ...ISOLATION_LEVELS];

export function select(name: string, label: string, options: readonly string[], current: string | undefined): Html {
  return html`<label>${label}<select name="${name}"><option value="">any</option>${options.map((o) => html`<option value="${o}"${o === current ? ' selected' : ''}>${o}</option>`)}</select></label>`;
}

/** A free-text filter with suggestions. */
export function textFilter(name: string, label: string, suggestions: readonly string[], current: string | undefined): Html {
  return html`<label>${label}<input name="${name}" value="${current ?? ''}" list="${name}-options" maxlength="64" autocomplete="off">
<datalist id="${name}-options">${suggestions.map((s) => html`<option value="${s}">`)}</datalist></label>`;
}

/** The list's pager: back to the newest page (from any later one) and on to older ones, the filters kept. */
export function pager(path: string, filters: Record<string, string | number | undefined>, cursor: string | undefined, nextCursor: string | null): Html {
  return html`<div class="pager">${cursor !== undefined ? html`<a href="${link(path, filters)}">« newest</a>` : ''}
${nextCursor !== null ? html`<a rel="next" href="${link(path, { ...filters, cursor: nextCursor })}">older »</a>` : ''}</div>`;
}
