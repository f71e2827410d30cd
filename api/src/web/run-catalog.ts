import { NEMESIS_NAMES, PROTOCOLS } from '@verdict/workers';

/** The names a run's spec can take, offered as the job list's filter suggestions. */
export interface RunCatalog {
  bugs: string[];
  scenarios: string[];
  nemeses: string[];
}

let catalog: Promise<RunCatalog> | undefined;

/** Every protocol's bugs and scenarios (protocols load lazily: read once, then kept). */
export function runCatalog(): Promise<RunCatalog> {
  catalog ??= (async () => {
    const definitions = await Promise.all(Object.values(PROTOCOLS).map((load) => load()));
    const sorted = (names: string[]): string[] => [...new Set(names)].sort();
    return {
      bugs: sorted(definitions.flatMap((d) => d.bugs.map((b) => b.name))),
      scenarios: sorted(definitions.flatMap((d) => (d.scenarios ?? []).map((s) => s.name))),
      nemeses: [...NEMESIS_NAMES],
    };
  })();
  return catalog;
}
