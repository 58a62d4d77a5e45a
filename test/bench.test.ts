// The benchmark suite runs end to end (--smoke: tiny sizes, a sample or two) and every output it
// times is checked first. No wall-clock figure is asserted: the machine is shared and noisy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'tensorfuse-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row { peer: string; label: string; medianMs?: number; triadGBs?: number; floorX?: number; skipped?: string; failed?: boolean; check?: { ok: boolean } }
interface Report {
  mode: string;
  checksPassed: boolean;
  machine: { nproc: number; cpu: string };
  bandwidth?: { bestGBs: number; floorGBs: number; runs: { threads: number }[] };
  results: { id: string; rows: Row[]; floorMs?: number }[];
  targets: { workload: string; text: string; judged: boolean; pass: boolean | null }[];
}

describe('bench/suite.mjs', () => {
  it('--smoke --only E2,S1 writes JSON and SVG with every case checked and timed', () => {
    const json = join(dir, 'out.json');
    const svg = join(dir, 'out.svg');
    const r = spawnSync(process.execPath, ['bench/suite.mjs', '--smoke', '--only', 'E2,S1', '--json', json, '--chart', svg], {
      cwd: root, encoding: 'utf8', timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('checks: every output matched before timing');
    expect(r.stdout).toMatch(/target: fused, result disposed \(recycled output\) ≤ 1\.3× bandwidth floor: .* (PASS|MISS)/);
    expect(r.stdout).toMatch(/target: fused, fresh output per eval\(\): × floor \(reported, not judged\): .* info \((would pass|over the limit)\)/);

    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.mode).toBe('smoke');
    expect(report.checksPassed).toBe(true);
    expect(report.machine.nproc).toBeGreaterThan(0);
    expect(report.bandwidth?.runs[0].threads).toBe(1);
    expect(report.bandwidth?.bestGBs).toBeGreaterThan(0);
    expect(report.bandwidth?.floorGBs).toBeGreaterThan(0);
    expect(report.bandwidth!.floorGBs).toBeLessThanOrEqual(report.bandwidth!.bestGBs);
    expect(report.results.map((w) => w.id)).toEqual(['E2', 'S1']);

    const peers = (id: string) => report.results.find((w) => w.id === id)!.rows.map((row) => row.peer);
    expect(peers('E2')).toEqual(expect.arrayContaining(['fused', 'unfused', 'ref', 'fusedInto', 'jsPerOp', 'jsFused', 'tfjs']));
    expect(peers('S1')).toEqual(expect.arrayContaining(['fused', 'jit', 'fusedChanging', 'jitNumber', 'jitChanging', 'unfused', 'ref', 'jsPerOp', 'jsFused', 'tfjs']));
    expect(r.stdout).toMatch(/target: eval\(\) with a new number every call ≤ 1\.5× the same number: .* (PASS|MISS)/);
    for (const w of report.results) {
      for (const row of w.rows) {
        expect(row.failed, `${w.id} ${row.label}`).toBeUndefined();
        expect(row.skipped, `${w.id} ${row.label}`).toBeUndefined();
        expect(row.check?.ok, `${w.id} ${row.label}`).toBe(true);
        expect(row.medianMs, `${w.id} ${row.label}`).toBeGreaterThan(0);
      }
    }
    expect(report.results[0].floorMs).toBeGreaterThan(0);
    // E2 is memory-bound: each of its rows has the triad measured around it, and its floor multiple.
    for (const row of report.results[0].rows) {
      expect(row.triadGBs, row.label).toBeGreaterThan(0);
      expect(row.floorX, row.label).toBeGreaterThan(0);
    }
    expect(report.results[1].rows.every((row) => row.triadGBs === undefined)).toBe(true); // S1 is not
    expect(report.targets.map((t) => t.workload)).toEqual(expect.arrayContaining(['E2', 'S1']));
    expect(report.targets.filter((t) => !t.judged).every((t) => t.pass === null)).toBe(true);

    const chart = readFileSync(svg, 'utf8');
    expect(chart.startsWith('<svg')).toBe(true);
    expect(chart).toContain('tensorfuse fused C');
    expect(chart.trim().endsWith('</svg>')).toBe(true);
  }, 150_000);

  it('rejects an unknown workload with the list of known ones', () => {
    const r = spawnSync(process.execPath, ['bench/suite.mjs', '--only', 'E9'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown workload E9; known: E1, E2, R1, R2, R3, T1, T3, G1, G2, G3, P1, O1, O2, B1, M1, M2, M3, M4, T2, C1, S1, K1');
  });
});
