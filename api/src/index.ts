/**
 * @verdict/api: the service, named explicitly. Everything not listed here is internal.
 */
export { ApiError, apiErrors, toErrorBody, type ApiErrorCode, type ErrorBody } from './errors.js';
export { isEmbedded, loadConfig, type ServiceConfig } from './config.js';
export { startService, type Service } from './service.js';
export { wireService, type WiredService } from './wire-service.js';
export { openDatabase, type Database, type DatabaseOptions } from './db/database.js';
export { MIGRATIONS_DIR, applyMigrations, readMigrations, type MigrateResult, type MigrationFile } from './db/migrate.js';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres.js';
export { PrismaJobStore } from './store/prisma-job-store.js';
export { TokenStore, hasScope, canSeeTeam, type CreatedToken, type Principal, type Scope } from './auth/token-store.js';
