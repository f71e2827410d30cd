import type { InvariantResult, Operation, OperationView } from '@verdict/checker';
import { asArray, asRecord, badge, shortJson } from '../format.js';
import { html, link, type Html } from '../html.js';
import { operationsTable } from '../operations-view.js';

/** Violations listed per invariant at most (the checker keeps only the first few anyway). */
const VIOLATIONS_SHOWN_MAX = 20;

/** One listed violation: the invariant's place in the report and the violation's in its list. */
export interface ViolationRef {
  invariant: number;
  violation: number;
}

/** How the section links a violation's operations to the timeline. */
export interface InvariantLinks {
  /** The job page's path: a violation the timeline is not centred on reloads it centred there. */
  page: string;
  /** The listed violations' operations found in the stored history, by their number. */
  located: ReadonlyMap<number, Operation>;
  /** The stored history was looked in for them (else nothing could place them). */
  searched: boolean;
  /** The violation the timeline is centred on, if any. */
  focused?: ViolationRef;
}

/** The timeline script's name for a violation's operations (`#lin-<seq>-<n>` shows the first n). */
export function violationSeq(ref: ViolationRef): string {
  return `inv-${ref.invariant}-${ref.violation}`;
}

/** The `violation` query value that centres the page's timeline on a violation. */
export function violationParam(ref: ViolationRef): string {
  return `${ref.invariant}-${ref.violation}`;
}

/**
 * Every invariant of the report (the bank's total, a recipe's, ZooKeeper's guarantees): whether it
 * holds, what it checks in plain words, how much it saw, its violations by kind, and the first
 * violations with their sentence and operations, each a link that shows it on the timeline.
 */
export function invariantsSection(invariants: readonly InvariantResult[], links: InvariantLinks): Html {
  if (invariants.length === 0) return html``;
  const tally = (status: string): number => invariants.filter((i) => i.status === status).length;
  const parts = [[tally('violated'), 'violated'], [tally('unknown'), 'unknown'], [tally('holds'), tally('holds') === 1 ? 'holds' : 'hold']] as const;
  const rows = invariants.map((inv, i) => html`<tr id="invariant-${i}"><td class="mono">${inv.name}</td><td>${badge(inv.status)}</td>
<td>${inv.checks}${inv.status === 'unknown' ? html`<div class="small"><strong>undecided:</strong> ${inv.cause ?? 'no cause given'}</div>` : ''}</td>
<td class="nowrap">${inv.observations} ${observationsWord(inv.name)}</td><td>${countsCell(inv, i)}</td></tr>`);
  return html`<section class="card" id="invariants">
<h2>Invariants <span class="muted small">${parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`).join(', ')}</span></h2>
<div class="table-fit"><table class="grid invariants"><thead><tr><th>invariant</th><th>result</th><th>what it checks</th><th>observed</th><th>violations by kind</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${invariants.map((inv, i) => violationsBlock(inv, i, links))}
</section>`;
}

/** What an invariant counts as an observation, as the text report words it. */
function observationsWord(name: string): string {
  if (name === 'zookeeper-writes') return 'writes';
  return name.startsWith('zookeeper-') ? 'observations' : 'reads';
}

function countsCell(inv: InvariantResult, i: number): Html {
  const counts = Object.entries(asRecord(inv.counts));
  if (counts.length === 0) return html`<span class="muted">none</span>`;
  const list = html`${counts.map(([kind, n], k) => html`${k > 0 ? ', ' : ''}<span class="nowrap">${kind} × ${String(n)}</span>`)}`;
  return asArray(inv.violations).length > 0 ? html`<a href="#invariant-${i}-violations">${list}</a>` : list;
}

function violationsBlock(inv: InvariantResult, i: number, links: InvariantLinks): Html {
  const listed = asArray(inv.violations) as InvariantResult['violations'];
  if (listed.length === 0) return html``;
  const total = Object.values(asRecord(inv.counts)).reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
  const shown = listed.slice(0, VIOLATIONS_SHOWN_MAX);
  const heading = total > shown.length ? `the first ${shown.length} of ${total} violations` : `${shown.length} violation(s)`;
  return html`<div class="invariant-violations" id="invariant-${i}-violations">
<h3><span class="mono">${inv.name}</span> ${badge(inv.status)} <span class="muted small">${heading}</span></h3>
${shown.map((v, j) => violationView(inv.name, v, { invariant: i, violation: j }, links))}
</div>`;
}

function violationView(name: string, v: InvariantResult['violations'][number], ref: ViolationRef, links: InvariantLinks): Html {
  const ids = asArray(v.operations).filter((id): id is number => typeof id === 'number');
  const found = ids.flatMap((id) => {
    const op = links.located.get(id);
    return op === undefined ? [] : [operationViewOf(op)];
  });
  const missing = ids.filter((id) => !links.located.has(id));
  const seq = violationSeq(ref);
  const focused = links.focused?.invariant === ref.invariant && links.focused.violation === ref.violation;
  // Centred on another violation, the timeline may not draw these operations: the link reloads it centred on them.
  const page = focused ? '' : link(links.page, { violation: violationParam(ref) });
  return html`<div class="violation" id="invariant-${ref.invariant}-violation-${ref.violation}" data-seq-name="${seq}" data-seq-name-text="${name}, violation ${ref.violation + 1}">
<p class="sentence"><span class="badge st-violated">${v.kind}</span> ${v.sentence}</p>
${found.length > 0 ? html`<p class="small">${focused ? 'outlined on the timeline; ' : ''}<a href="${page}#lin-${seq}-${found.length}">show ${found.length === 1 ? 'it' : `all ${found.length}`} on the timeline</a>${found.length > 1 ? ', or one by one from the table' : ''}:</p>
${operationsTable(found, { steps: { seq, first: 1, page } })}` : ''}
${missing.length > 0 ? html`<p class="small">operation(s) ${missing.map((id) => `#${id}`).join(', ')} <span class="muted">${links.searched ? '(not found in the stored history\'s first chunks: see the raw history)' : '(not placed in a history)'}</span></p>` : ''}
</div>`;
}

/** An operation read back from the stored history, in the shape the operations table shows. */
function operationViewOf(op: Operation): OperationView {
  const ret = op.ret === Infinity ? null : op.ret;
  const output = op.status === 'ok' ? ` → ${shortJson(op.output, 120)}` : '';
  return { id: op.id, process: op.process, f: op.f, input: op.input, output: op.output ?? null, status: op.status, call: op.call, ret, description: `${op.f} ${shortJson(op.input, 120)}${output}` };
}
