import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/**
 * The pages' content security policy: styles from our own stylesheet plus the exact inline
 * `<style>` blocks the page embeds (the SVG timeline's, allowed by hash); scripts only by hash
 * (our own files, loaded with a matching `integrity`; a page without one runs no script at all);
 * forms that post only to us; no framing. Should escaping ever fail, nothing injected could run or
 * load.
 */
export function pageCsp(styleHashes: readonly string[] = [], scriptHashes: readonly string[] = []): string {
  const styles = ["'self'", ...[...new Set(styleHashes)].map((h) => `'${h}'`)].join(' ');
  const scripts = [...new Set(scriptHashes)].map((h) => `'${h}'`).join(' ');
  return `default-src 'none'; style-src ${styles};${scripts !== '' ? ` script-src ${scripts};` : ''} form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

/**
 * CSP hashes of the `<style>` elements in an SVG from the checker's renderer. Its values are
 * escaped, so every `<style>` in its output is the renderer's own.
 */
export function styleHashesOf(svg: string): string[] {
  return [...svg.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => `sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}`);
}

/** Headers every HTML page and error page carries. */
export function setPageHeaders(reply: FastifyReply, styleHashes: readonly string[] = [], scriptHashes: readonly string[] = []): void {
  void reply
    .header('content-security-policy', pageCsp(styleHashes, scriptHashes))
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin')
    // The pages show a team's private jobs: never kept by shared caches or the back/forward cache.
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8');
}
