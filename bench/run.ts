/**
 * `npm run bench [-- NAME...]`: runs the benchmark suites and prints their figures. Nothing is
 * asserted: machines here are noisy, so suites print ratios measured in one run.
 * Each suite is a module in this folder exporting `bench(): Promise<void>`.
 */
import { existsSync } from 'node:fs';

const SUITES = ['linearizability', 'consistency', 'isolation', 'parsing', 'simulation', 'service', 'databases', 'web'] as const;

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(SUITES as readonly string[]).includes(w));
if (unknown.length > 0) {
  console.error(`unknown bench suite(s): ${unknown.join(', ')} (known: ${SUITES.join(', ')})`);
  process.exit(64);
}
for (const name of wanted.length > 0 ? wanted : SUITES) {
  const file = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(file)) {
    console.log(`\n## ${name}: no suite yet`);
    continue;
  }
  console.log(`\n## ${name}`);
  const suite = (await import(file.href)) as { bench: () => Promise<void> };
  await suite.bench();
}
