import { renderCycleSvg, type DependencyEdge, type TransactionView } from '@verdict/checker';
import { asArray, asRecord } from './format.js';
import { html, link, trustedSvg, type Html } from './html.js';

/**
 * An isolation anomaly's cycle graph from stored report JSON (a report's anomaly, or an anomaly
 * row's witness): the fields the renderer needs, checked one by one, since stored JSON is read
 * back as unknown. Undefined when the anomaly has no edge to draw (a single transaction's
 * internal inconsistency, say): its table says it all.
 */
export function cycleGraphSvg(type: string, sentence: string | undefined, witness: { transactions?: unknown; edges?: unknown }): string | undefined {
  const edges: DependencyEdge[] = [];
  for (const raw of asArray(witness.edges)) {
    const e = asRecord(raw);
    if (typeof e.from !== 'string' || typeof e.to !== 'string' || typeof e.kind !== 'string') continue;
    const edge: DependencyEdge = { from: e.from, to: e.to, kind: e.kind as DependencyEdge['kind'] };
    if (e.key !== undefined) edge.key = e.key;
    if (e.value !== undefined) edge.value = e.value;
    if (typeof e.why === 'string') edge.why = e.why;
    edges.push(edge);
  }
  if (edges.length === 0) return undefined;
  const transactions: TransactionView[] = [];
  for (const raw of asArray(witness.transactions)) {
    const t = asRecord(raw);
    if (typeof t.name !== 'string') continue;
    transactions.push({
      name: t.name,
      process: typeof t.process === 'number' || typeof t.process === 'string' ? t.process : '?',
      status: t.status === 'ok' || t.status === 'fail' || t.status === 'info' ? t.status : 'info',
      call: typeof t.call === 'number' ? t.call : 0,
      ret: typeof t.ret === 'number' ? t.ret : null,
      ops: asArray(t.ops),
    });
  }
  return renderCycleSvg({ type, ...(sentence !== undefined ? { sentence } : {}), transactions, edges });
}

/** The graph as a figure, with its download (the same SVG served as a file). */
export function cycleFigure(svg: string | undefined, download: string | undefined): Html {
  if (svg === undefined) return html``;
  return html`<figure class="cycle">${trustedSvg(svg)}${download !== undefined ? html`<figcaption class="small"><a href="${download}" download>download the graph (SVG)</a></figcaption>` : ''}</figure>`;
}

/** Where a job's anomaly graph is downloaded from. */
export function cycleDownloadPath(jobId: string, index: number): string {
  return link(`/ui/jobs/${jobId}/anomalies/${index}/graph.svg`);
}
