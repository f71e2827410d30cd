import { escapeXml } from './escape.js';
import type { Report } from './report.js';
import { meetsRequirement, type RequiredLevel } from './requirement.js';

interface TestCase {
  classname: string;
  name: string;
  /** `failure`: the level is violated; `error`: it could not be decided (never a pass). */
  outcome: 'pass' | 'failure' | 'error' | 'skipped';
  message?: string;
  detail?: string;
}

/**
 * JUnit XML for CI: one test case per consistency level and per witness of a violated one, per
 * isolation level, per anomaly, and one for the requirement when given. `unknown` is an error,
 * never a pass.
 */
export function renderJunit(report: Report, options: { suite?: string; require?: RequiredLevel } = {}): string {
  const cases: TestCase[] = [];
  if (report.consistency !== undefined) {
    for (const l of report.consistency.levels) {
      cases.push({
        classname: 'verdict.consistency',
        name: l.level,
        outcome: l.status === 'holds' ? 'pass' : l.status === 'violated' ? 'failure' : l.status === 'not-applicable' ? 'skipped' : 'error',
        ...(l.status === 'violated' ? { message: `${l.level} violated`, detail: (l.violations ?? []).map((v) => v.sentence).join('\n') } : {}),
        ...(l.status === 'unknown' ? { message: `${l.level} unknown: ${l.cause ?? 'undecided'}` } : {}),
        ...(l.status === 'not-applicable' ? { message: `${l.level} not applicable: ${l.cause ?? 'this history cannot show it'}` } : {}),
      });
    }
    // One case per witness too, so CI lists each broken promise on its own line.
    for (const l of report.consistency.levels) {
      (l.violations ?? []).forEach((v, i) => {
        cases.push({
          classname: 'verdict.violation',
          name: `${l.level}: ${v.kind}${v.scope !== undefined ? ` (${v.scope})` : ''} #${i + 1}`,
          outcome: 'failure',
          message: v.sentence,
          detail: v.operations.map((o) => `#${o.id} process ${String(o.process)} ${o.description}`).join('\n'),
        });
      });
    }
  } else if (report.linearizability !== undefined) {
    const lin = report.linearizability;
    cases.push({
      classname: 'verdict.consistency',
      name: 'strong',
      outcome: lin.outcome === 'ok' ? 'pass' : lin.outcome === 'illegal' ? 'failure' : 'error',
      ...(lin.outcome === 'illegal' ? { message: 'not linearizable', detail: lin.counterexample?.witness.explanation ?? '' } : {}),
      ...(lin.outcome === 'unknown' ? { message: `linearizability unknown: ${lin.cause?.message ?? 'undecided'}` } : {}),
    });
  }
  if (report.isolation !== undefined) {
    for (const l of report.isolation.levels) {
      cases.push({
        classname: 'verdict.isolation',
        name: l.level,
        outcome: l.status === 'holds' ? 'pass' : l.status === 'violated' ? 'failure' : 'error',
        ...(l.status !== 'holds' ? { message: `${l.level} ${l.status}${l.ruledOutBy !== undefined && l.ruledOutBy.length > 0 ? `: ruled out by ${l.ruledOutBy.join(', ')}` : ''}` } : {}),
      });
    }
    report.isolation.anomalies.forEach((a, i) => {
      cases.push({ classname: 'verdict.anomaly', name: `${a.type} #${i + 1}`, outcome: 'failure', message: a.sentence, detail: JSON.stringify(a.transactions.map((t) => ({ [t.name]: t.ops }))) });
    });
    for (const u of report.isolation.unknown) cases.push({ classname: 'verdict.anomaly', name: `${u.type} search`, outcome: 'error', message: u.cause });
  }
  if (options.require !== undefined) {
    const met = meetsRequirement(report, options.require);
    cases.push({ classname: 'verdict.requirement', name: `require ${options.require}`, outcome: met.result === 'yes' ? 'pass' : met.result === 'no' ? 'failure' : 'error', message: met.reason });
  }
  const failures = cases.filter((c) => c.outcome === 'failure').length;
  const errors = cases.filter((c) => c.outcome === 'error').length;
  const seconds = (report.elapsedMs / 1000).toFixed(3);
  const suite = options.suite ?? report.history.source ?? 'verdict';
  const body = cases.map((c) => {
    const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="0">`;
    if (c.outcome === 'pass') return `${open}</testcase>`;
    if (c.outcome === 'skipped') return `${open}\n      <skipped message="${escapeXml(c.message ?? '')}"/>\n    </testcase>`;
    const tag = c.outcome === 'failure' ? 'failure' : 'error';
    return `${open}\n      <${tag} message="${escapeXml(c.message ?? '')}" type="${tag === 'failure' ? 'violated' : 'unknown'}">${escapeXml(c.detail ?? c.message ?? '')}</${tag}>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="verdict" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${seconds}">`,
    `    <properties><property name="verdict" value="${escapeXml(report.verdict.summary)}"/></properties>`,
    ...body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
