import type { FastifyReply } from 'fastify';
import type { Principal } from '../auth/token-store.js';
import type { PageScript } from './client/static-scripts.js';
import { setPageHeaders } from './csp.js';
import { html, type Fragment, type Html } from './html.js';
import { STYLESHEET_PATH } from './stylesheet.js';

export interface Page {
  title: string;
  body: Html;
  /** The signed-in caller; absent on the login page and on errors before sign-in. */
  principal?: Principal | null;
  /** CSP hashes of inline `<style>` blocks the body embeds (the SVG timeline's). */
  styleHashes?: readonly string[];
  /** Reload after this many seconds (a job still running); a meta refresh needs no script. */
  refreshSeconds?: number;
  /** Our own scripts the page loads (allowed by hash); the page works without them. */
  scripts?: readonly PageScript[];
}

/** Sends a page with the headers every page carries (CSP, no caching, no framing). */
export function sendPage(reply: FastifyReply, page: Page, status = 200): FastifyReply {
  setPageHeaders(reply, page.styleHashes, (page.scripts ?? []).map((s) => s.hash));
  return reply.status(status).send(renderPage(page).value);
}

export function renderPage(page: Page): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${page.refreshSeconds !== undefined ? html`<meta http-equiv="refresh" content="${page.refreshSeconds}">` : ''}
<title>${page.title} · Verdict</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
${(page.scripts ?? []).map((s) => html`<script src="${s.src}" integrity="${s.hash}" defer></script>`)}
</head>
<body>
<header class="top">
<a class="brand" href="/ui">Verdict</a>
<nav><a href="/ui">Jobs</a><a href="/ui/anomalies">Anomalies</a><a href="/docs">API</a></nav>
${page.principal != null ? whoAmI(page.principal) : ''}
</header>
<main>
${page.body}
</main>
</body>
</html>
`;
}

function whoAmI(principal: Principal): Html {
  const team: Fragment = principal.team !== null ? html` · team <strong>${principal.team}</strong>` : principal.scopes.includes('admin') ? ' · every team' : '';
  return html`<div class="who"><span>${principal.name}${team}</span>
<form method="post" action="/ui/logout"><button type="submit">Sign out</button></form></div>`;
}
