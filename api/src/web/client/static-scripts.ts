import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { TIMELINE_SCRIPT } from './timeline-script.js';

/** A script a page may load: its path (versioned by content) and its hash, for the CSP and the tag's `integrity`. */
export interface PageScript {
  src: string;
  hash: string;
}

const hashOf = (text: string): string => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

export const TIMELINE_SCRIPT_FILE: PageScript = {
  src: `/ui/static/timeline.js?v=${createHash('sha256').update(TIMELINE_SCRIPT).digest('hex').slice(0, 12)}`,
  hash: hashOf(TIMELINE_SCRIPT),
};

export function registerScripts(app: FastifyInstance): void {
  app.get('/ui/static/timeline.js', { schema: { hide: true } }, async (_request, reply) => {
    // Versioned by content hash in the pages' tag: it can be cached for good.
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(TIMELINE_SCRIPT);
  });
}
