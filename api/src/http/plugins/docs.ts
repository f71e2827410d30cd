import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** OpenAPI 3 from the routes' schemas, served as JSON at /docs/json and browsable at /docs. */
export async function registerDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Verdict',
        version,
        description: 'Jepsen-style consistency checking as a service: submit a history or a protocol run, follow it, read the verdict. '
          + 'Every error is `{ code, message, status, location? }` with a `VRD_ERR_*` code.',
      },
      tags: [
        { name: 'jobs', description: 'Checks of uploaded histories and protocol runs' },
        { name: 'anomalies', description: 'Every anomaly found, searchable' },
        { name: 'tokens', description: 'API tokens (admin scope)' },
        { name: 'service', description: 'Health and metrics' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from `verdict token create`' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
