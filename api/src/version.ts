import { readFileSync } from 'node:fs';

/** The service's version, from api/package.json (shown in /healthz and the OpenAPI document). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
