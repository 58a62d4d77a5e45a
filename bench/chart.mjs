/**
 * The SVG chart, written as text: one group per workload, one horizontal bar per case, on a single
 * log-scale time axis (shorter is faster), with the bandwidth floor drawn as a dashed line.
 *
 *   E2  x.mul(2)…  [N = 2^24]           |    |    |    |    |
 *   tensorfuse fused C                  ███ 21.3 ms
 *   JS loop per op                      ██████████ 612 ms (29×)
 */
import { fmtTime, fmtX } from './report.mjs';

const COLORS = {
  fused: '#c2255c', fusedInto: '#e64980', fused1: '#f783ac', jit: '#e8590c', unfused: '#f08c00', ref: '#fab005',
  jsPerOp: '#1c7ed6', jsFused: '#74c0fc', tfjs: '#2f9e44', mlMatrix: '#20c997', openblas: '#7048e8',
};
/** A decade's label: 10 ns, 100 µs, 1 s. */
const decade = (e) => {
  const units = [[-6, 'ns'], [-3, 'µs'], [0, 'ms'], [3, 's']];
  const [base, unit] = units.filter(([b]) => e >= b).pop() ?? units[0];
  return `${10 ** (e - base)} ${unit}`;
};
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function svgChart(report) {
  const W = 1060, LEFT = 330, BAR_W = 470, ROW = 18, BAR_H = 12, HEAD = 24, TOP = 80;
  const timed = report.results.flatMap((w) => w.rows.filter((r) => Number.isFinite(r.medianMs)).map((r) => r.medianMs));
  const floors = report.results.map((w) => w.floorMs).filter(Number.isFinite);
  const all = [...timed, ...floors].filter((x) => x > 0);
  const lo = Math.floor(Math.log10(Math.min(...all, 1e-3)));
  const hi = Math.ceil(Math.log10(Math.max(...all, 1)));
  const xOf = (ms) => LEFT + (BAR_W * (Math.log10(ms) - lo)) / (hi - lo);
  const rows = report.results.reduce((n, w) => n + w.rows.length, 0);
  const H = TOP + report.results.length * (HEAD + 8) + rows * ROW + 40;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="12" y="22" font-size="16" font-weight="600">tensorfuse bench — ${esc(report.mode)} run, ${esc(report.date.slice(0, 16).replace('T', ' '))}</text>`,
    `<text x="12" y="40" fill="#555">${esc(`nproc ${report.machine.nproc}, ${report.machine.cpu}, ${report.machine.threads} threads`)}</text>`,
    `<text x="12" y="56" fill="#555">median time per call, log scale (shorter is faster); dashed line: the workload's bandwidth floor</text>`,
  ];
  // Decade grid lines, labelled at the top.
  for (let e = lo; e <= hi; e++) {
    const x = xOf(10 ** e);
    out.push(`<line x1="${x.toFixed(1)}" y1="${TOP - 8}" x2="${x.toFixed(1)}" y2="${H - 30}" stroke="#e9ecef"/>`);
    out.push(`<text x="${x.toFixed(1)}" y="${TOP - 12}" text-anchor="middle" fill="#868e96" font-size="10">${esc(decade(e))}</text>`);
  }
  let y = TOP;
  for (const w of report.results) {
    y += HEAD;
    out.push(`<text x="12" y="${y - 6}" font-weight="600">${esc(w.id)}<tspan dx="8">${esc(w.title)}</tspan><tspan dx="8" font-weight="400" fill="#666">${esc(`[${w.size(w.n).text}]`)}</tspan></text>`);
    const groupTop = y;
    for (const r of w.rows) {
      const ty = y + BAR_H - 2;
      out.push(`<text x="${LEFT - 8}" y="${ty}" text-anchor="end">${esc(r.label)}</text>`);
      if (Number.isFinite(r.medianMs)) {
        const x = xOf(r.medianMs);
        const color = COLORS[r.peer] ?? '#868e96';
        const rel = r.vsFused !== undefined && r.peer !== 'fused' ? ` (${r.scaled ? '~' : ''}${fmtX(r.vsFused)} fused)` : '';
        out.push(`<rect x="${LEFT}" y="${y}" width="${Math.max(1, x - LEFT).toFixed(1)}" height="${BAR_H}" fill="${color}" rx="2"/>`);
        out.push(`<text x="${(Math.max(x, LEFT) + 5).toFixed(1)}" y="${ty}" fill="#333">${esc(fmtTime(r.medianMs) + rel + (r.scaled ? ` @ ${r.sizeText}` : ''))}</text>`);
      } else {
        out.push(`<text x="${LEFT + 4}" y="${ty}" fill="#adb5bd" font-style="italic">${esc(r.skipped ? 'skipped' : 'check failed: not timed')}</text>`);
      }
      y += ROW;
    }
    if (Number.isFinite(w.floorMs)) {
      const x = xOf(w.floorMs).toFixed(1);
      out.push(`<line x1="${x}" y1="${groupTop - 3}" x2="${x}" y2="${y - 3}" stroke="#212529" stroke-dasharray="3 3"/>`);
    }
    y += 8;
  }
  const command = report.command.length > 80 ? `${report.command.slice(0, 79)}…` : report.command;
  out.push(`<text x="12" y="${H - 12}" fill="#868e96" font-size="10">${esc(`${command}; every output checked before timing; ~: measured at another size, compared per element or flop`)}</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}
