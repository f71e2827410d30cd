import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { isKnownAnomalyType, KNOWN_ANOMALY_TYPES } from '../../store/anomaly-types.js';
import { listAnomalies } from '../../store/job-queries.js';
import { didYouMean } from '../did-you-mean.js';
import type { AppDeps } from '../app-deps.js';
import { anomalyView } from '../job-view.js';
import { principalOf } from '../plugins/auth.js';
import { AnomalyListSchema, ListAnomaliesQuerySchema, type ListAnomaliesQuery } from '../schemas/anomaly.js';
import { AUTH_ERRORS, errorResponses } from '../schemas/common.js';

export function registerListAnomalies(app: FastifyInstance, deps: AppDeps): void {
  app.get('/anomalies', {
    config: { scope: 'read' },
    schema: {
      tags: ['anomalies'],
      summary: 'Search anomalies across jobs, newest first',
      description: 'Filter by type (G1a, G2, lost-update, read-your-writes, linearizability...), by the weakest level it rules out, by category, protocol or job.',
      security: [{ bearer: [] }],
      querystring: ListAnomaliesQuerySchema,
      response: { 200: AnomalyListSchema, ...errorResponses(400, ...AUTH_ERRORS) },
    },
  }, async (request) => {
    const query = request.query as ListAnomaliesQuery;
    if (query.type !== undefined && !isKnownAnomalyType(query.type)) {
      throw new ApiError('VRD_ERR_API_INVALID', `unknown anomaly type ${JSON.stringify(query.type)}${didYouMean(query.type, KNOWN_ANOMALY_TYPES)}`, { field: 'querystring.type' });
    }
    const page = await listAnomalies(deps.prisma, principalOf(request), query);
    return { anomalies: page.items.map(anomalyView), nextCursor: page.nextCursor };
  });
}
