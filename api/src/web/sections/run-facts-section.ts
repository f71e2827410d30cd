import { asArray, asRecord, duration, shortJson } from '../format.js';
import { html, type Html } from '../html.js';

const FAULTS_SHOWN_MAX = 40;

/**
 * A protocol run's facts (the workers store them beside the report as `run`): the cluster, the
 * fault schedule as it happened, and availability — CAP in numbers: which side of a partition
 * kept answering, how long requests waited, whether the system blocked.
 */
export function runFactsSection(run: unknown): Html {
  const r = asRecord(run);
  if (Object.keys(r).length === 0) return html``;
  const availability = asRecord(r.availability);
  const ops = asRecord(r.operations);
  const roles = asRecord(r.roles);
  const nodes = asArray(r.nodes).map((n) => `${String(n)}${roles[String(n)] !== undefined ? ` (${String(roles[String(n)])})` : ''}`);
  return html`<section class="card" id="run">
<h2>Run and availability</h2>
${typeof r.headline === 'string' ? html`<p class="sentence"><strong>${r.headline}</strong></p>` : ''}
<dl class="facts">
<dt>nodes</dt><dd class="mono">${nodes.join(', ')}</dd>
<dt>workload</dt><dd>${String(r.workload ?? '?')}, ${String(ops.client ?? '?')} client operations, ${String(ops.finalReads ?? 0)} final reads</dd>
<dt>simulated</dt><dd>${duration(Number(r.simulatedMs))} of virtual time, ${String(r.events ?? '?')} events</dd>
<dt>blocked</dt><dd>${availability.blocked === true ? html`<strong>yes</strong> — ${String(availability.blockedReason ?? '')}` : 'no'}</dd>
<dt>recovered after heal</dt><dd>${availability.recoveredAfterMs === null ? 'never' : duration(Number(availability.recoveredAfterMs))}</dd>
${typeof r.reproduce === 'string' ? html`<dt>reproduce</dt><dd><code>${r.reproduce}</code></dd>` : ''}
</dl>
${phasesTable(asArray(availability.phases))}
${faultsTable(asArray(availability.faults))}
</section>`;
}

function phasesTable(phases: unknown[]): Html {
  if (phases.length === 0) return html``;
  const rows = phases.map((raw) => {
    const p = asRecord(raw);
    return html`<tr><td>${String(p.phase ?? '?')}</td><td>${duration(Number(p.startMs))} – ${duration(Number(p.endMs))}</td>
<td>${String(p.ok ?? 0)} / ${String(p.fail ?? 0)} / ${String(p.info ?? 0)}</td><td>${duration(Number(p.longestStallMs))}</td><td>${duration(Number(p.longestSilenceMs))}</td></tr>`;
  });
  return html`<h3>Phases</h3><table class="grid"><thead><tr><th>phase</th><th>virtual time</th><th>ok / fail / indeterminate</th><th>longest stall</th><th>longest silence</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function faultsTable(faults: unknown[]): Html {
  if (faults.length === 0) return html``;
  const rows = faults.slice(0, FAULTS_SHOWN_MAX).map((raw) => {
    const f = asRecord(raw);
    const sides = asArray(f.sides).map((s) => {
      const side = asRecord(s);
      const verdict = side.available === true ? 'available' : side.available === false ? 'unavailable' : 'too short to tell';
      return html`<div class="small"><span class="mono">${asArray(side.nodes).map(String).join(' ')}</span>: ${verdict} (${String(side.ok ?? 0)} ok, ${String(side.fail ?? 0)} failed)</div>`;
    });
    const blocked = asArray(f.blockedKeys);
    return html`<tr><td class="mono">${String(f.nemesis ?? '?')}</td><td>${String(f.description ?? '')}</td><td>${duration(Number(f.startMs))} – ${duration(Number(f.endMs))}</td>
<td>${String(f.ok ?? 0)} / ${String(f.fail ?? 0)} / ${String(f.info ?? 0)}</td>
<td>${sides}${blocked.length > 0 ? html`<div class="small">blocked keys: <span class="mono">${shortJson(blocked.map((b) => asRecord(b).key), 200)}</span></div>` : ''}</td></tr>`;
  });
  const more = faults.length - FAULTS_SHOWN_MAX;
  return html`<h3>Faults</h3><table class="grid"><thead><tr><th>nemesis</th><th>what</th><th>virtual time</th><th>ok / fail / indeterminate</th><th>sides, blocked keys</th></tr></thead><tbody>${rows}</tbody></table>
${more > 0 ? html`<p class="muted small">… and ${more} more</p>` : ''}`;
}
