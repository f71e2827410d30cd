import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, toErrorBody, type ErrorBody } from '../errors.js';
import { html } from './html.js';
import { sendPage } from './layout.js';

/**
 * Errors on the pages as pages: the API's one error shape (code, status, message) rendered as
 * HTML, logged as the API logs them. The message may quote a request or a history: it is escaped
 * like everything else.
 */
export function handleWebError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = toErrorBody(error);
  if (body.status >= 500) request.log.error({ err: error }, 'page failed');
  else request.log.info({ code: body.code, status: body.status }, body.message);
  if (error instanceof ApiError) void reply.headers(error.headers);
  return errorPage(reply, body, request.principal);
}

export function errorPage(reply: FastifyReply, error: ErrorBody, principal: FastifyRequest['principal']): FastifyReply {
  const title = error.status === 404 ? 'Not found' : error.status === 401 ? 'Not signed in' : error.status === 403 ? 'Not allowed' : 'Error';
  const body = html`<section class="card">
<h1>${title}</h1>
<p class="error-box"><strong>${error.code}</strong>: ${error.message}</p>
<p><a href="/ui">Jobs</a> · <a href="/ui/anomalies">Anomalies</a>${error.status === 401 || error.status === 403 ? html` · <a href="/ui/login">Sign in</a>` : ''}</p>
</section>`;
  return sendPage(reply, { title, body, principal }, error.status);
}

/** Unknown paths under /ui answer with a page too (the API's 404 is JSON). */
export async function registerWebNotFound(app: FastifyInstance): Promise<void> {
  await app.register(async (scoped) => {
    scoped.setNotFoundHandler((request, reply) => errorPage(reply, new ApiError('VRD_ERR_API_ROUTE', `${request.method} ${request.url.split('?')[0]}`).toJSON(), null));
  }, { prefix: '/ui' });
}
