import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { submitJob } from '../../jobs/submit-job.js';
import type { AppDeps } from '../app-deps.js';
import { jobView } from '../job-view.js';
import { principalOf } from '../plugins/auth.js';
import { AUTH_ERRORS, errorResponses } from '../schemas/common.js';
import { CreateJobJsonSchema, JobSchema, UploadQuerySchema, type UploadQuery } from '../schemas/job.js';
import { uploadLimits, uploadSignal } from '../plugins/uploads.js';
import { jobFromJson, jobFromMultipart, jobFromRawBody } from './create-job-input.js';

const DESCRIPTION = `Submits a job and answers 202 with it; follow it at \`/jobs/{id}/events\`.

* **A protocol run**: JSON \`{ "protocol": "paxos", "nemesis": "partition-halves", "seed": 7, "ops": 500, "bug": null }\`.
* **A database test**: JSON \`{ "target": "pg", "workload": "list-append", "isolation": "serializable", "ops": 2000 }\`, where \`target\` names a database of the service's allow-list (\`VERDICT_TARGETS\`); an address is never accepted.
* **A history to check**, in any of the checker's formats (EDN, JSON, JSONL, Porcupine logs; detected when \`format\` is absent):
  * JSON \`{ "history": [ops...] | "file text", "model": "cas-register", "init": 0 }\`, or a bare JSON array of ops;
  * a raw body with \`Content-Type\` application/x-ndjson, application/edn, text/plain, application/octet-stream or application/gzip, options in the query string;
  * \`multipart/form-data\` with the file in a part named \`history\` (fields: format, model, init, source, levels, timeLimitMs, maxAttempts).

\`Content-Encoding: gzip\` is accepted for every form, and gzip files are recognised by their magic bytes. A history that does not parse is refused with the line, the field and the reason (400, 415 or 422).`;

/** JSON bodies as sent, before validation (see preValidation). */
const sentBodies = new WeakMap<object, unknown>();

export function registerCreateJob(app: FastifyInstance, deps: AppDeps): void {
  app.post('/jobs', {
    config: { scope: 'submit' },
    // Reading and parsing a large upload takes longer than answering any other request.
    handlerTimeout: deps.config.requestTimeoutMs * 10,
    // The union schema documents the body; readCreateJobBody says precisely what is wrong with one.
    // The schema's validator would coerce a JSON body to fit a branch (null → "", 5 → "5") before
    // the handler sees it: it gets an empty stand-in, and the handler reads the body as sent.
    attachValidation: true,
    preValidation: async (request) => {
      if (!(request.body instanceof Readable)) {
        sentBodies.set(request, request.body);
        request.body = {};
      }
    },
    schema: {
      tags: ['jobs'],
      summary: 'Submit a history to check or a protocol to run',
      description: DESCRIPTION,
      security: [{ bearer: [] }],
      querystring: UploadQuerySchema,
      body: { content: { 'application/json': { schema: CreateJobJsonSchema } } },
      response: { 202: JobSchema, ...errorResponses(400, ...AUTH_ERRORS, 413, 415, 422, 503) },
    },
  }, async (request, reply) => {
    if (request.validationError !== undefined && (request.validationError as { validationContext?: string }).validationContext !== 'body') throw request.validationError;
    const principal = principalOf(request);
    const query = request.query as UploadQuery;
    const reading = { limits: uploadLimits(deps.config), signal: uploadSignal(request, reply) };
    const contentType = String(request.headers['content-type'] ?? '');
    const job = !(request.body instanceof Readable)
      ? await jobFromJson(sentBodies.get(request), query, deps.config.targets)
      : /^multipart\/form-data\b/i.test(contentType)
        ? await jobFromMultipart(request.body, contentType, query, reading)
        : await jobFromRawBody(request.body, query, reading);
    const row = await submitJob(deps.prisma, deps.dispatch, principal, job, deps.config.maxAttempts);
    return reply.status(202).header('location', `/jobs/${row.id}`).send(jobView(row));
  });
}
