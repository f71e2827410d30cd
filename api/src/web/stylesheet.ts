import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * The pages' one stylesheet, served from /ui/static (CSP `style-src 'self'`). The SVG timeline's
 * own inline `<style>` scopes its rules under its root class `vt`.
 */
const CSS = `
:root{--fg:#1d232a;--muted:#5c6670;--line:#d8dde3;--bg:#f6f7f9;--card:#fff;--accent:#1f5fa8;--bad:#b3261e;--good:#2e7d32;--warn:#a15c00}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-word;background:#f0f2f5;padding:8px 10px;border-radius:4px;margin:6px 0;max-height:24em;overflow:auto}
.top{display:flex;align-items:center;gap:24px;padding:10px 24px;background:#18202b;color:#e8edf2}
.top a{color:#e8edf2}.brand{font-weight:700;font-size:16px}
.top nav{display:flex;gap:16px;flex:1}
.who{display:flex;align-items:center;gap:10px;color:#b9c3cd;font-size:13px}
.who form{margin:0}
main{max-width:1280px;margin:0 auto;padding:18px 24px 48px}
h1{font-size:20px;margin:4px 0 14px}h2{font-size:16px;margin:0 0 10px}h3{font-size:14px;margin:14px 0 6px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:14px 16px;margin:0 0 16px}
.grid{border-collapse:collapse;width:100%}
.grid th,.grid td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
.grid th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.02em}
.grid tr.witness td{background:#fdecea}
time{white-space:nowrap}
details{margin:6px 0}details>summary{cursor:pointer}
details.prefix>summary{font-weight:600;margin:14px 0 6px}
#violations details{border-top:1px solid var(--line);padding-top:6px}
#invariants .invariant-violations{border-top:1px solid var(--line);margin-top:12px;padding-top:2px}
#invariants .violation{margin:6px 0 14px}#invariants .violation .sentence{overflow-wrap:anywhere}
.grid.invariants th:nth-child(3){width:45%}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e5e8ec;color:#333;white-space:nowrap}
.st-ok,.st-holds,.st-done{background:#dcefdc;color:var(--good)}
.st-violated,.st-failed,.st-illegal{background:#fbe0dd;color:var(--bad)}
.st-unknown,.st-cancelled{background:#fff0d6;color:var(--warn)}
.st-not-applicable{background:#eee;color:#555}
.st-running,.st-queued{background:#dde9f7;color:var(--accent)}
.muted{color:var(--muted)}.small{font-size:12px}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end;margin:0 0 14px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}
input,select,button{font:inherit;padding:4px 8px;border:1px solid #b8c0c8;border-radius:4px;background:#fff}
button{cursor:pointer;background:#eef2f6}button.primary{background:var(--accent);color:#fff;border-color:var(--accent)}
.pager{display:flex;gap:16px;margin-top:12px}
.links{display:flex;flex-wrap:wrap;gap:14px}
.timeline{overflow:hidden;border:1px solid var(--line);border-radius:4px;background:#fff;padding:4px;touch-action:pan-y}
.timeline:focus{outline:2px solid var(--accent);outline-offset:1px}
.timeline svg{display:block;max-width:100%;height:auto;user-select:none}
.tl-bar{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:0 0 8px}
.tl-views{display:flex;flex-wrap:wrap;gap:0;border:1px solid #b8c0c8;border-radius:4px;overflow:hidden}
.tl-views a{padding:3px 10px;border-left:1px solid #b8c0c8;color:var(--fg);font-size:13px}.tl-views a:first-child{border-left:0}
.tl-views a.current{background:var(--accent);color:#fff}
.tl-zoom{display:flex;flex-wrap:wrap;gap:6px;align-items:center}.tl-zoom button{padding:1px 10px}
#timeline.stepping{position:sticky;top:0;z-index:5;max-height:70vh;overflow:auto;box-shadow:0 4px 12px rgba(0,0,0,.12)}
.lin-panel{margin:0 0 8px;border:1px solid var(--line);border-radius:4px;padding:6px 10px;background:#f7f9fc}
.lin-panel p{margin:0 0 4px}.lin-panel ol{max-height:9em;overflow:auto;margin:0;padding-left:3.2em}
.lin-panel li{overflow-wrap:anywhere}.lin-panel li.current{font-weight:700}
.grid td{overflow-wrap:anywhere}.grid td.nowrap,.nowrap{white-space:nowrap;overflow-wrap:normal}.wrap{overflow-wrap:anywhere}
.table-fit{max-width:100%;overflow-x:auto}
details.mops{margin:0}details.mops>summary{list-style:none}details.mops>summary::-webkit-details-marker{display:none}
details.mops>summary .muted{text-decoration:underline dotted}
details.mops:not([open]) .fold-open,details.mops[open] .fold-head{display:none}
figure.cycle{margin:8px 0 10px;max-width:100%}
figure.cycle svg{display:block;max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px}
figure.cycle figcaption{margin-top:4px}
dl.facts dd{min-width:0;overflow-wrap:anywhere}
.jobs .fact{display:inline-block;margin-left:6px;white-space:nowrap}
.filters input{width:12em}.filters input[name=seed]{width:7em}
.sentence{margin:4px 0 6px}
.error-box{border-left:4px solid var(--bad);background:#fdecea;padding:8px 12px;border-radius:4px}
.login{max-width:460px;margin:60px auto}
.login input[type=password]{width:100%;margin:6px 0 12px}
`;

export const STYLESHEET_PATH = `/ui/static/style.css?v=${createHash('sha256').update(CSS).digest('hex').slice(0, 12)}`;

export function registerStylesheet(app: FastifyInstance): void {
  app.get('/ui/static/style.css', { schema: { hide: true } }, async (_request, reply) => {
    // Versioned by content hash in the pages' link: it can be cached for good.
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(CSS);
  });
}
