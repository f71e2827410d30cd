import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { ApiError } from '../../errors.js';

export interface LimitOptions {
  rateLimitPerMinute: number;
  /** Shares the rate-limit counters between API processes (Redis mode). */
  redis?: unknown;
}

const OPEN_ROUTES = new Set(['/healthz', '/metrics']);

/**
 * Rate limits per token (per address without one), shared between API processes through Redis
 * when there is one. (The time limit per request is fastify's `handlerTimeout`, set in app.ts.)
 */
export async function registerRateLimit(app: FastifyInstance, options: LimitOptions): Promise<void> {
  if (options.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      global: true,
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      ...(options.redis !== undefined ? { redis: options.redis, nameSpace: 'verdict-rate-limit-', skipOnError: true } : {}),
      allowList: (request) => OPEN_ROUTES.has(request.routeOptions.url ?? '') || (request.routeOptions.url ?? '').startsWith('/docs'),
      keyGenerator: (request) => {
        const auth = request.headers.authorization;
        return auth !== undefined ? `t:${createHash('sha256').update(auth).digest('hex').slice(0, 32)}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) => {
        const error = new ApiError('VRD_ERR_API_RATE_LIMIT', `at most ${context.max} requests per minute; retry in ${Math.ceil(context.ttl / 1000)} s`, {}, { 'retry-after': String(Math.ceil(context.ttl / 1000)) });
        return Object.assign(error, { statusCode: 429 });
      },
    });
  }
}
