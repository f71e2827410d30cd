import { html, link, trustedSvg, type Html } from '../html.js';
import type { TimelineViewName } from '../timeline-view.js';
import type { TimelineView } from '../timeline-window.js';

/** What each view is called on its control, given what the page knows. */
function viewLabel(view: TimelineViewName, key: string | undefined, processes: number, subject: string): string {
  const k = key !== undefined ? `key ${JSON.stringify(key)}` : undefined;
  if (view === 'focus') return k !== undefined ? `${subject}: ${k}, its ${processes} process${processes === 1 ? '' : 'es'}` : `${subject}: its ${processes} process${processes === 1 ? '' : 'es'}`;
  if (view === 'key') return `${k ?? 'the key'}, every process`;
  return 'every key and process';
}

/**
 * The timeline card: which view it draws (links, so it needs no script), the SVG fitted to the
 * card, and what the script adds when it runs: zoom and pan controls and the panel that lists the
 * linearization steps chosen so far.
 */
export function timelineSection(t: TimelineView, options: { jobId: string; partId?: string; key?: string; processes: number; subject?: 'witness' | 'violation' }): Html {
  // What the outlined operations are: a counterexample's or anomaly's witness, or an invariant's violation.
  const subject = options.subject ?? 'witness';
  const blocked = t.blockedDrawn ? ', the one that cannot be linearized darkest and marked ✕' : '';
  const outlined = t.focus === 0
    ? `no ${subject} to outline`
    : t.outlined === t.focus
      ? `the ${t.outlined} operation(s) of the ${subject} are outlined in red${blocked}`
      : `${t.outlined} of the ${subject}'s ${t.focus} operation(s) found in this view and outlined${blocked}`;
  const views: TimelineViewName[] = t.focus === 0 ? ['all'] : options.key !== undefined && t.keyApplied ? ['focus', 'key', 'all'] : ['focus', 'all'];
  const here = `/ui/jobs/${options.jobId}`;
  const viewLinks = views.length < 2 ? '' : html`<nav class="tl-views" aria-label="timeline view">${views.map((v) => html`<a href="${link(here, { timeline: v })}#timeline"${v === t.view ? html` aria-current="true" class="current"` : ''} data-view="${v}">${viewLabel(v, options.key, options.processes, subject)}</a>`)}</nav>`;
  return html`<section class="card" id="timeline">
<h2>Timeline</h2>
<p class="small muted">Positions ${t.shown.from}–${t.shown.to} of ${t.events} history events${t.from < t.shown.from || t.to > t.shown.to ? ` (the drawing holds ${t.from}–${t.to}, with the steps before the ${subject}: zoom out or pan)` : ''}${options.partId !== undefined ? html`, from <a href="/ui/jobs/${options.partId}">the part</a> that holds the failing key` : ''}; drawn: ${t.description}${t.hidden > 0 ? ` (${t.hidden} other operation(s) in this window left out)` : ''};
${outlined}.${t.clipped ? ` The ${subject} spans more than one window: this one is centred on the operation that cannot be linearized.` : ''}
${t.chunksSkipped > 0 ? ' Part of this stretch of the history was too large to read here: download the history for all of it.' : ''}
${t.numbering === 'positions' ? ' Operations are numbered by the position of their invocation here, not as in the report.' : ''}
Hover a bar for the operation's details.</p>
<div class="tl-bar">${viewLinks}
<div class="tl-zoom" hidden><button type="button" data-zoom="out" aria-label="zoom out">−</button><button type="button" data-zoom="in" aria-label="zoom in">+</button><button type="button" data-zoom="fit">fit</button>
<span class="small muted" data-zoom-level></span> <span class="small muted">drag, ←/→ or Shift+wheel to pan; +/−, double-click or Ctrl+wheel to zoom; 0 to fit</span></div></div>
<div id="lin-panel" class="lin-panel" hidden><p><strong data-lin-title></strong> <a data-lin-prev href="#">◀ previous</a> <a data-lin-next href="#">next ▶</a> <a href="#timeline">clear</a></p>
${t.view !== 'all' && t.view !== 'key' ? html`<p class="small" data-lin-wider hidden>Some steps are on processes this view leaves out: <a data-href="${link(here, { timeline: views.includes('key') ? 'key' : 'all' })}" href="${link(here, { timeline: views.includes('key') ? 'key' : 'all' })}">draw ${views.includes('key') ? 'the key on every process' : 'every process'}</a>.</p>` : ''}
<ol class="mono small"></ol></div>
<div class="timeline" tabindex="0" aria-label="timeline: focus it to zoom and pan with the keyboard">${trustedSvg(t.svg)}</div>
</section>`;
}
