import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/app-deps.js';
import { registerScripts } from './client/static-scripts.js';
import { handleWebError, registerWebNotFound } from './error-page.js';
import { registerAnomaliesPage } from './pages/anomalies-page.js';
import { registerJobDownloads } from './pages/job-downloads.js';
import { registerJobListPage } from './pages/job-list-page.js';
import { registerJobPage } from './pages/job-page.js';
import { registerLoginPage } from './pages/login-page.js';
import { registerStylesheet } from './stylesheet.js';

/**
 * The web pages under /ui: server-rendered HTML over the same store queries as the JSON API,
 * in their own plugin so their error pages, form parsing and login stay out of the API's way.
 */
export async function registerWeb(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(async (web) => {
    web.setErrorHandler(handleWebError);
    registerStylesheet(web);
    registerScripts(web);
    registerLoginPage(web, deps);
    registerJobListPage(web, deps);
    registerJobPage(web, deps);
    registerJobDownloads(web, deps);
    registerAnomaliesPage(web, deps);
    await registerWebNotFound(web);
  });
}
