/** Escapes text for XML and HTML content and attribute values: history values are untrusted. */
export function escapeXml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!).replace(INVALID_XML_CHARS, '\uFFFD');
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Control characters XML 1.0 forbids even when escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
