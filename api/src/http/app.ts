import ajvCompilers from '@fastify/ajv-compiler';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { AppDeps } from './app-deps.js';
import { registerAuth } from './plugins/auth.js';
import { registerDocs } from './plugins/docs.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerExactJson } from './plugins/exact-json.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { registerUploads, uploadLimits } from './plugins/uploads.js';
import { registerCancelJob } from './routes/cancel-job.js';
import { registerCreateJob } from './routes/create-job.js';
import { registerGetHistory } from './routes/get-history.js';
import { registerGetJob } from './routes/get-job.js';
import { registerGetReport } from './routes/get-report.js';
import { registerHealthz } from './routes/healthz.js';
import { registerJobEvents } from './routes/job-events.js';
import { registerListAnomalies } from './routes/list-anomalies.js';
import { registerListJobs } from './routes/list-jobs.js';
import { registerMetrics } from './routes/metrics.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerWeb } from '../web/register-web.js';

/**
 * Query strings, params and forms are text: their schemas coerce ("5" → 5). A JSON body has
 * types: its schema does not, so `"team": [5]` is refused rather than read as "5".
 */
function typedBodies(externalSchemas: unknown, options: unknown): (route: { httpPart?: string }) => unknown {
  type Build = (schemas: unknown, opts: unknown) => (route: unknown) => unknown;
  const build = ajvCompilers as unknown as () => Build;
  const ajvOptions = options as { customOptions: Record<string, unknown> };
  const coercing = build()(externalSchemas, ajvOptions);
  const typed = build()(externalSchemas, { ...ajvOptions, customOptions: { ...ajvOptions.customOptions, coerceTypes: false } });
  return (route) => (route.httpPart === 'body' ? typed(route) : coercing(route));
}

/** Nothing the API returns is meant to run in a browser: histories are untrusted input. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The HTTP API: JSON schema on every route (TypeBox), OpenAPI at /docs, bearer tokens with
 * scopes, upload and rate limits, request time limits, and one error shape.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.config.logLevel === false ? false : { level: deps.config.logLevel },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.bodyLimitBytes,
    // A request unanswered in time gets 503 (VRD_ERR_API_TIMEOUT); uploads have their own, longer limit.
    handlerTimeout: deps.config.requestTimeoutMs,
    requestTimeout: deps.config.requestTimeoutMs * 10,
    // With anyOf bodies, stripping unknown properties in one branch would corrupt the next: refuse them instead.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    schemaController: { compilersFactory: { buildValidator: typedBodies as never } },
  });
  registerErrorHandler(app);
  await registerDocs(app, deps.version);
  await registerRateLimit(app, { rateLimitPerMinute: deps.config.rateLimitPerMinute, ...(deps.redis !== undefined ? { redis: deps.redis } : {}) });
  registerAuth(app, deps.tokens);
  await registerUploads(app, uploadLimits(deps.config));
  registerExactJson(app);
  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    if (!request.url.startsWith('/docs') && !reply.hasHeader('content-security-policy')) void reply.header('content-security-policy', API_CSP);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  for (const register of [registerCreateJob, registerListJobs, registerGetJob, registerGetReport, registerGetHistory, registerJobEvents, registerCancelJob, registerListAnomalies, registerHealthz, registerMetrics, registerTokenRoutes]) {
    register(app, deps);
  }
  // The web pages set their own, looser policy (a stylesheet, the timeline's hashed style).
  await registerWeb(app, deps);
  return app;
}
