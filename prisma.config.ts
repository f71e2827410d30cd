/**
 * Prisma CLI configuration (`prisma generate`, and `prisma migrate deploy` where its engine can
 * be downloaded). The service itself applies prisma/migrations at start: see api/src/db/migrate.ts.
 */
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/verdict' },
});
