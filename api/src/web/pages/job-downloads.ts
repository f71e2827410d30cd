import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderJunit, renderText, type Report } from '@verdict/checker';
import { ApiError } from '../../errors.js';
import type { AppDeps } from '../../http/app-deps.js';
import { principalOf } from '../../http/plugins/auth.js';
import { finishedReportJson } from '../../http/report-cache.js';
import { JobIdParamsSchema, type JobIdParams } from '../../http/schemas/common.js';
import { visibleHistoryStream } from '../../store/history-store.js';
import { asArray, asRecord } from '../format.js';
import { cycleGraphSvg } from '../cycle-graph.js';
import { requireViewer } from '../session.js';

const AnomalyGraphParamsSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  index: Type.Integer({ minimum: 0, maximum: 10_000 }),
}, { additionalProperties: false });

/** Downloads are data, never pages: nothing in them may run or load anything. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/**
 * The JSON API's report formats and history download for a signed-in browser (links cannot
 * carry a Bearer header): the same data, the same team checks.
 */
export function registerJobDownloads(app: FastifyInstance, deps: AppDeps): void {
  const options = { schema: { hide: true, params: JobIdParamsSchema }, preHandler: requireViewer(deps.tokens) };

  const finishedReport = async (request: FastifyRequest): Promise<{ id: string; json: string }> => {
    const { id } = request.params as JobIdParams;
    return { id, json: await finishedReportJson(deps, principalOf(request), id) };
  };
  const data = (reply: FastifyReply, type: string, filename?: string): FastifyReply => {
    void reply.type(type).header('content-security-policy', DATA_CSP).header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
    return filename === undefined ? reply : reply.header('content-disposition', `attachment; filename="${filename}"`);
  };

  app.get('/ui/jobs/:id/report.json', options, async (request, reply) => {
    const { json } = await finishedReport(request);
    return data(reply, 'application/json; charset=utf-8').send(json);
  });

  app.get('/ui/jobs/:id/report.txt', options, async (request, reply) => {
    const { json } = await finishedReport(request);
    return data(reply, 'text/plain; charset=utf-8').send(renderText(JSON.parse(json) as Report));
  });

  app.get('/ui/jobs/:id/junit.xml', options, async (request, reply) => {
    const { id, json } = await finishedReport(request);
    // An attachment: an XML document opened in the browser would be parsed as markup.
    return data(reply, 'application/xml; charset=utf-8', `verdict-${id}.xml`).send(renderJunit(JSON.parse(json) as Report, { suite: `verdict job ${id}` }));
  });

  // An isolation anomaly's cycle graph, as the job page draws it (the report's anomalies, in order).
  app.get('/ui/jobs/:id/anomalies/:index/graph.svg', { ...options, schema: { hide: true, params: AnomalyGraphParamsSchema } }, async (request, reply) => {
    const { id, index } = request.params as Static<typeof AnomalyGraphParamsSchema>;
    const json = await finishedReportJson(deps, principalOf(request), id);
    const anomaly = asRecord(asArray(asRecord(asRecord(JSON.parse(json) as unknown).isolation).anomalies)[index]);
    const svg = typeof anomaly.type === 'string' ? cycleGraphSvg(anomaly.type, typeof anomaly.sentence === 'string' ? anomaly.sentence : undefined, anomaly) : undefined;
    if (svg === undefined) throw new ApiError('VRD_ERR_API_ROUTE', `job ${id} has no anomaly graph ${index}`);
    const name = `verdict-${id.slice(0, 8)}-${index}-${String(anomaly.type).replace(/[^A-Za-z0-9-]/g, '_').slice(0, 40)}.svg`;
    return data(reply, 'image/svg+xml; charset=utf-8', name).send(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`);
  });

  app.get('/ui/jobs/:id/history.jsonl', options, async (request, reply) => {
    const { id } = request.params as JobIdParams;
    const stream = await visibleHistoryStream(deps.prisma, principalOf(request), id);
    return data(reply, 'application/x-ndjson; charset=utf-8', `${id}.jsonl`).send(stream);
  });
}
