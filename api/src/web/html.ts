/**
 * HTML built by construction: every interpolated value is escaped unless it is already `Html`.
 * Histories and reports are untrusted input, so the safe path is the default one and the only
 * ways to insert markup are template literals written here and `trustedSvg` (the checker's
 * renderer, which escapes every history value itself).
 */

/** Markup that is safe to insert as is. */
export class Html {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** Anything a template may interpolate: text (escaped), markup, or lists of either. */
export type Fragment = Html | string | number | boolean | bigint | null | undefined | readonly Fragment[];

// C0 and C1 control characters (but tab, newline, carriage return): shown as visible escapes,
// never passed through raw, so a history cannot smuggle terminal or parser tricks into a page.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and for double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return visibleControls(String(value)).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function visibleControls(text: string): string {
  return text.replace(CONTROL_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function render(fragment: Fragment): string {
  if (fragment instanceof Html) return fragment.value;
  if (fragment === null || fragment === undefined || fragment === false) return '';
  if (Array.isArray(fragment)) return (fragment as readonly Fragment[]).map(render).join('');
  return escapeHtml(fragment);
}

/** A template whose interpolations are escaped (text) or inserted (`Html`). */
export function html(strings: TemplateStringsArray, ...values: Fragment[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Fragments joined with a separator (text separators are escaped too). */
export function joinHtml(fragments: readonly Fragment[], separator: Fragment = ''): Html {
  return new Html(fragments.map(render).join(render(separator)));
}

/**
 * The checker's SVG timeline, inserted as markup. Only `renderTimelineSvg` output may pass
 * through here: it escapes every value that came from the history. It leaves the C1 controls
 * XML allows, which are made visible here as in any other text (they are never markup).
 */
export function trustedSvg(svg: string): Html {
  return new Html(visibleControls(svg));
}

/** A path with query parameters; empty and undefined values are left out. */
export function link(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const q = params.toString();
  return q === '' ? path : `${path}?${q}`;
}
