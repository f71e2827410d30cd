import type { FastifyInstance } from 'fastify';
import { ApiError, toErrorBody } from '../../errors.js';

/**
 * One error shape for every failure: `{ code, message, status, location? }`. The checker's
 * VerdictError (bad history: the line, the field) maps straight to it; anything unexpected is a
 * 500 that reveals nothing but its code, and is logged in full.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const body = toErrorBody(error);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, status: body.status }, body.message);
    if (error instanceof ApiError) void reply.headers(error.headers);
    // A body refused before its end is not read further: close the connection rather than leave it half-read.
    if (!request.raw.complete) void reply.header('connection', 'close');
    if (body.status === 401) void reply.header('www-authenticate', 'Bearer realm="verdict"');
    void reply.status(body.status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(new ApiError('VRD_ERR_API_ROUTE', `${request.method} ${request.url.split('?')[0]}`).toJSON());
  });
}
