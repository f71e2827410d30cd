/**
 * The job page's one script, served from /ui/static and allowed by its hash (CSP `script-src
 * 'sha256-…'` with the tag's `integrity`): zoom and pan of the timeline (mouse, keyboard, buttons)
 * and stepping through a linearization. The page is complete without it; the script only moves
 * what the server drew and marks the steps the page lists. It reads values from the DOM and
 * writes them back with `textContent` and `setAttribute` only, so a value stays text.
 *
 * Plain ES2020 in a string: the pages have no build step, and the service must not depend on
 * how its TypeScript is compiled.
 */
export const TIMELINE_SCRIPT = String.raw`(function () {
'use strict';
var NS = 'http://www.w3.org/2000/svg';
var card = document.getElementById('timeline');
var svg = card && card.querySelector('svg.vt');
if (!svg) return;
var plot = svg.querySelector('svg.vt-plot');
var box = card.querySelector('.timeline');
var num = function (el, name) { return Number(el.getAttribute(name)); };
var from0 = num(svg, 'data-from'), end0 = num(svg, 'data-to') + 1, plotW = num(svg, 'data-plot');
var plotLeft = num(plot, 'x'), axisPx = num(svg, 'data-axis'), lanesBottom = num(svg, 'data-lanes-bottom');
var times = svg.hasAttribute('data-times') ? JSON.parse(svg.getAttribute('data-times')) : null;
var view = { from: num(svg, 'data-view-from'), to: num(svg, 'data-view-to') + 1 };
var SPAN_MIN = Math.min(end0 - from0, 4);
var scale = function () { return plotW / (view.to - view.from); };
var X = function (p) { return (p - view.from) * scale(); };
var steps = [];

function el(name, attrs, text) {
  var e = document.createElementNS(NS, name);
  for (var k in attrs) e.setAttribute(k, String(attrs[k]));
  if (text !== undefined) e.textContent = text;
  return e;
}

function tickSpacing(pxPerPosition, minPx) {
  for (var m = 1; m < 1e15; m *= 10) for (var i = 0, ms = [1, 2, 5]; i < 3; i++) if (ms[i] * m * pxPerPosition >= minPx) return ms[i] * m;
  return 1e15;
}

function formatSeconds(ns, deltaNs) {
  var decimals = Math.max(0, Math.min(9, Math.ceil(-Math.log10(Math.max(1, deltaNs) / 1e9)) + 1));
  return (ns / 1e9).toFixed(decimals) + ' s';
}

var CHAR_PX = 6.8, EDGE_PX = 4;
function cells(text) {
  var n = 0;
  for (var i = 0, chars = Array.from(text); i < chars.length; i++) {
    var c = chars[i].codePointAt(0);
    n += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd) ? 2 : 1;
  }
  return n;
}
function fit(text, max) {
  if (cells(text) <= max) return text;
  var out = '', used = 0, chars = Array.from(text);
  for (var i = 0; i < chars.length; i++) {
    var w = cells(chars[i]);
    if (used + w > max - 1) break;
    out += chars[i]; used += w;
  }
  return out + '…';
}
/* The renderer's rule (clampSpan): nothing placed reaches past the plot, so nothing is wider than the page. */
function clamp(x0, x1, minPx) {
  var x = Math.min(Math.max(x0, -EDGE_PX), plotW + EDGE_PX);
  var end = Math.min(Math.max(x1, x0 + minPx), plotW + EDGE_PX);
  return { x: x, w: Math.max(0, end - x), hidden: x1 < -EDGE_PX || x0 > plotW + EDGE_PX };
}
function outside(x, w) { return x < -0.5 || x + w > plotW + 0.5; }
function show(e, visible) { if (visible) e.removeAttribute('display'); else e.setAttribute('display', 'none'); }

function ticks() {
  var axis = plot.querySelector('g.axis');
  while (axis.firstChild) axis.removeChild(axis.firstChild);
  var every = tickSpacing(scale(), 72);
  var known = times ? times.filter(function (t) { return t !== null; }) : [];
  var deltaNs = known.length > 1 ? ((known[known.length - 1] - known[0]) / Math.max(1, times.length)) * every : 1e9;
  for (var p = Math.ceil(view.from / every) * every; p < view.to; p += every) {
    var x = X(p);
    axis.appendChild(el('rect', { 'class': 'vt-grid', x: x.toFixed(2), y: axisPx - 3, width: 1, height: lanesBottom - axisPx + 3 }));
    if (!outside(x, cells(String(p)) * CHAR_PX)) axis.appendChild(el('text', { x: x.toFixed(2), y: 11 }, String(p)));
    var t = times ? times[p - from0] : null;
    if (t === null || t === undefined) continue;
    var label = formatSeconds(t, deltaNs);
    if (!outside(x, cells(label) * CHAR_PX)) axis.appendChild(el('text', { x: x.toFixed(2), y: 23 }, label));
  }
}

function layout() {
  var ops = plot.querySelectorAll('g.op');
  for (var i = 0; i < ops.length; i++) {
    var g = ops[i], rect = g.querySelector('rect'), text = g.querySelector('text');
    var c = clamp(X(num(g, 'data-p0')), X(num(g, 'data-p1')), 3);
    show(g, !c.hidden);
    rect.setAttribute('x', c.x.toFixed(2));
    rect.setAttribute('width', c.w.toFixed(2));
    var tx = Math.max(c.x, 0) + 3;
    var room = Math.floor((Math.min(c.x + c.w, plotW) - tx - 3) / CHAR_PX);
    text.setAttribute('x', tx.toFixed(2));
    text.textContent = room >= 2 ? fit(g.getAttribute('data-label') || '', room) : '';
  }
  var faults = plot.querySelectorAll('rect.fault');
  for (var f = 0; f < faults.length; f++) {
    var b = clamp(X(num(faults[f], 'data-p0')), X(num(faults[f], 'data-p1')), 2);
    show(faults[f], !b.hidden);
    faults[f].setAttribute('x', b.x.toFixed(2));
    faults[f].setAttribute('width', b.w.toFixed(2));
  }
  var labels = plot.querySelectorAll('text.fault-label, text.op-label');
  for (var l = 0; l < labels.length; l++) {
    var lx = X(num(labels[l], 'data-p0')) + (labels[l].classList.contains('fault-label') ? 2 : 0);
    labels[l].setAttribute('x', lx.toFixed(2));
    show(labels[l], !outside(lx, cells(labels[l].firstChild ? labels[l].firstChild.textContent : '') * CHAR_PX));
  }
  ticks();
  drawSteps();
  var zoomed = card.querySelector('[data-zoom-level]');
  if (zoomed) zoomed.textContent = 'positions ' + Math.floor(view.from) + '–' + Math.ceil(view.to - 1) + ' of the ' + from0 + '–' + (end0 - 1) + ' drawn';
}

function setView(from, to) {
  var span = Math.max(SPAN_MIN, Math.min(end0 - from0, to - from));
  from = Math.max(from0, Math.min(end0 - span, from));
  view = { from: from, to: from + span };
  layout();
}

function zoom(factor, at) {
  var span = view.to - view.from;
  var next = Math.max(SPAN_MIN, Math.min(end0 - from0, span / factor));
  if (at === undefined) at = view.from + span / 2;
  var from = at - (at - view.from) * next / span;
  setView(from, from + next);
}

function pan(positions) { setView(view.from + positions, view.to + positions); }

/** A pointer's place in history positions, and how many positions one screen pixel is. */
function positionAt(clientX) {
  var r = svg.getBoundingClientRect();
  var units = svg.viewBox.baseVal.width / r.width;
  return view.from + ((clientX - r.left) * units - plotLeft) / scale();
}
function positionsPerPixel() {
  var r = svg.getBoundingClientRect();
  return (svg.viewBox.baseVal.width / r.width) / scale();
}

box.addEventListener('wheel', function (e) {
  if (e.ctrlKey || e.metaKey) {
    e.preventDefault();
    zoom(e.deltaY < 0 ? 1.25 : 0.8, positionAt(e.clientX));
  } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
    e.preventDefault();
    pan((e.shiftKey ? e.deltaY : e.deltaX) * positionsPerPixel());
  }
}, { passive: false });

var drag = null;
box.addEventListener('pointerdown', function (e) {
  if (e.button !== 0) return;
  drag = { x: e.clientX, from: view.from, to: view.to, k: positionsPerPixel(), moved: false };
  box.setPointerCapture(e.pointerId);
});
box.addEventListener('pointermove', function (e) {
  if (!drag) return;
  var dx = e.clientX - drag.x;
  if (Math.abs(dx) > 2) drag.moved = true;
  if (drag.moved) setView(drag.from - dx * drag.k, drag.to - dx * drag.k);
});
box.addEventListener('pointerup', function () { drag = null; });
box.addEventListener('dblclick', function (e) { zoom(e.shiftKey ? 0.5 : 2, positionAt(e.clientX)); });
box.addEventListener('keydown', function (e) {
  var span = view.to - view.from;
  var handled = true;
  if (e.key === '+' || e.key === '=') zoom(1.5);
  else if (e.key === '-' || e.key === '_') zoom(1 / 1.5);
  else if (e.key === '0') setView(from0, end0);
  else if (e.key === 'ArrowLeft') pan(-span / 8);
  else if (e.key === 'ArrowRight') pan(span / 8);
  else if (e.key === 'Home') setView(from0, from0 + span);
  else if (e.key === 'End') setView(end0 - span, end0);
  else handled = false;
  if (handled) e.preventDefault();
});
var buttons = card.querySelectorAll('[data-zoom]');
for (var b = 0; b < buttons.length; b++) {
  buttons[b].addEventListener('click', function (e) {
    var what = e.currentTarget.getAttribute('data-zoom');
    if (what === 'in') zoom(1.5); else if (what === 'out') zoom(1 / 1.5); else setView(from0, end0);
  });
}
var controls = card.querySelector('.tl-zoom');
if (controls) controls.hidden = false;

/* Stepping: #lin-<sequence>-<n> shows the first n steps of a sequence the page lists as rows with data-seq.
   Rows without data-state are plain operations (an invariant's violation), not a linearization: no order drawn. */
function readSteps() {
  var m = /^#lin-([a-z0-9-]+)-(\d+)$/.exec(location.hash);
  steps = [];
  var panel = document.getElementById('lin-panel');
  card.classList.toggle('stepping', m !== null);
  if (!m) { if (panel) panel.hidden = true; drawSteps(); return; }
  var seq = m[1], upTo = Number(m[2]);
  var rows = document.querySelectorAll('[data-seq="' + seq + '"]');
  var all = [];
  for (var i = 0; i < rows.length; i++) {
    all.push({
      n: Number(rows[i].getAttribute('data-step')),
      call: rows[i].getAttribute('data-call'),
      ret: rows[i].getAttribute('data-ret'),
      state: rows[i].getAttribute('data-state'),
      what: rows[i].getAttribute('data-what'),
      blocked: rows[i].hasAttribute('data-blocked'),
    });
  }
  all.sort(function (a, b) { return a.n - b.n; });
  steps = all.filter(function (s) { return s.n <= upTo; });
  // Follow the current step as a cursor: pan (keeping the zoom) when it is out of view.
  var cur = steps[steps.length - 1];
  if (cur && plot.querySelector('g.op[data-call="' + Number(cur.call) + '"]')) {
    var lo = Number(cur.call), hi = (cur.ret === 'open' ? lo : Number(cur.ret)) + 1;
    var span = view.to - view.from;
    if (lo < view.from || hi > view.to) {
      span = Math.max(span, (hi - lo) * 1.2);
      setView((lo + hi) / 2 - span / 2, (lo + hi) / 2 + span / 2);
    } else drawSteps();
  } else drawSteps();
  if (panel) showPanel(panel, seq, upTo, all);
  card.scrollIntoView({ block: 'nearest' });
}

function drawSteps() {
  var g = plot.querySelector('g.steps');
  while (g.firstChild) g.removeChild(g.firstChild);
  var ops = plot.querySelectorAll('g.op');
  for (var i = 0; i < ops.length; i++) {
    ops[i].classList.toggle('dim', steps.length > 0);
    ops[i].querySelector('rect').classList.remove('lin');
  }
  var lp = -Infinity, points = [];
  var plain = steps.length > 0 && steps[0].state === null;
  for (var j = 0; j < steps.length; j++) {
    var s = steps[j];
    var op = plot.querySelector('g.op[data-call="' + Number(s.call) + '"]');
    s.drawn = op !== null;
    if (!op) continue;
    var rect = op.querySelector('rect');
    op.classList.remove('dim');
    if (!s.blocked) rect.classList.add('lin');
    var call = Number(s.call), ret = s.ret === 'open' || s.ret === null ? Infinity : Number(s.ret);
    // A linearization point for each step: the earliest moment after the previous one within the operation.
    var at = s.blocked || plain ? call + 0.5 : Math.min(Math.max(lp, call + 0.5), ret + 0.5);
    if (!s.blocked) lp = at;
    var x = X(at), y = num(rect, 'y') + 9;
    var inView = x >= 0 && x <= plotW; // a marker at the edge is clipped by the plot, still inside the drawing
    var title = s.blocked ? 'cannot go next: ' + s.what : (plain ? s.n + '. ' + s.what : 'step ' + s.n + ': ' + s.what + '\nstate after: ' + s.state);
    if (!inView) { if (!s.blocked) points.push(Math.min(Math.max(x, 0), plotW).toFixed(1) + ',' + y); continue; }
    if (s.blocked) {
      g.appendChild(el('text', { 'class': 'step-x', x: x - 4, y: y + 4, 'font-size': 14, 'font-weight': 700 }, '✕')).appendChild(el('title', {}, title));
    } else {
      points.push(x.toFixed(1) + ',' + y);
      var dot = el('g', { 'class': 'step' });
      dot.appendChild(el('circle', { 'class': 'step-dot', cx: x, cy: y, r: 7 }));
      dot.appendChild(el('text', { 'class': 'step-no', x: x, y: y + 3, 'text-anchor': 'middle' }, String(s.n)));
      dot.appendChild(el('title', {}, title));
      g.appendChild(dot);
    }
  }
  if (points.length > 1 && !plain) g.insertBefore(el('polyline', { 'class': 'step-line', points: points.join(' ') }), g.firstChild);
}

function showPanel(panel, seq, upTo, all) {
  panel.hidden = false;
  var title = panel.querySelector('[data-lin-title]');
  var list = panel.querySelector('ol');
  var sequence = document.querySelector('[data-seq-name="' + seq + '"]');
  var plain = steps.length > 0 && steps[0].state === null;
  title.textContent = (sequence ? sequence.getAttribute('data-seq-name-text') : seq) + ': ' + steps.length + ' of ' + all.length + (plain ? ' operation(s) shown' : ' step(s) chosen');
  while (list.firstChild) list.removeChild(list.firstChild);
  for (var i = 0; i < steps.length; i++) {
    var s = steps[i];
    var li = document.createElement('li');
    li.value = s.n;
    if (s.n === upTo) li.className = 'current';
    li.textContent = s.blocked ? '✕ ' + s.what + ' cannot go next' : s.what + (s.state === null ? '' : ' · state after: ' + s.state);
    if (!s.drawn) {
      var note = document.createElement('span');
      note.className = 'muted';
      note.textContent = '  (not drawn in this view)';
      li.appendChild(note);
    }
    list.appendChild(li);
  }
  list.scrollTop = list.scrollHeight;
  var prev = panel.querySelector('[data-lin-prev]'), next = panel.querySelector('[data-lin-next]');
  var first = all.length > 0 ? all[0].n : 0, last = all.length > 0 ? all[all.length - 1].n : 0;
  prev.setAttribute('href', '#lin-' + seq + '-' + Math.max(first, upTo - 1));
  next.setAttribute('href', '#lin-' + seq + '-' + Math.min(last, upTo + 1));
  var wider = panel.querySelector('[data-lin-wider]');
  if (wider) {
    var missing = steps.some(function (s) { return !s.drawn; });
    wider.hidden = !missing;
    var a = wider.querySelector('a');
    if (a) a.setAttribute('href', a.getAttribute('data-href') + location.hash);
  }
}

window.addEventListener('hashchange', readSteps);
readSteps();
layout();
})();
`;
