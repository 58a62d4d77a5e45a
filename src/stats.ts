/** Process-wide counters, shown by `stats()`. */
export interface Stats {
  compiles: number;
  memoryHits: number;
  diskHits: number;
  compileMs: number;
  runMs: number;
  evals: number;
  /**
   * Argument plans worked out for a graph on the C backend (canonical form, program lookup, buffer
   * layout): a graph evaluated again, or a new graph that differs only in its numbers, reuses one.
   */
  plans: number;
  /** Times a `jit` function was traced (called to record its operations): once per signature. */
  traces: number;
  /** With TENSORFUSE_PROFILE=1: time and calls per kernel, measured inside the generated code. */
  profile?: Record<string, { calls: number; ms: number }>;
}

type Counters = Omit<Stats, 'profile'>;
export const counters: Counters = { compiles: 0, memoryHits: 0, diskHits: 0, compileMs: 0, runMs: 0, evals: 0, plans: 0, traces: 0 };
const kernelTimes = new Map<string, { calls: number; ms: number }>();

/** Adds one read of a profiled program's counters ([ns, calls] per kernel). */
export function recordProfile(names: readonly string[], raw: BigInt64Array): void {
  names.forEach((name, i) => {
    const calls = Number(raw[2 * i + 1]);
    if (calls === 0) return;
    const t = kernelTimes.get(name) ?? { calls: 0, ms: 0 };
    t.calls += calls;
    t.ms += Number(raw[2 * i]) / 1e6;
    kernelTimes.set(name, t);
  });
}

export const stats = (): Stats =>
  kernelTimes.size ? { ...counters, profile: Object.fromEntries([...kernelTimes].map(([k, v]) => [k, { ...v }])) } : { ...counters };

