/** Process-wide counters, shown by `stats()`. */
export interface Stats {
  compiles: number;
  memoryHits: number;
  diskHits: number;
  compileMs: number;
  runMs: number;
  evals: number;
}

export const counters: Stats = { compiles: 0, memoryHits: 0, diskHits: 0, compileMs: 0, runMs: 0, evals: 0 };

export const stats = (): Stats => ({ ...counters });

export function resetStats(): void {
  for (const k of Object.keys(counters) as (keyof Stats)[]) counters[k] = 0;
}
