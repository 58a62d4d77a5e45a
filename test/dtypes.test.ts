/**
 * src/dtype.ts against numpy 2 (numpy 2.4.6, from `python3`). Every expected value is a literal: numpy's
 * answers pasted from the python commands in the comments (rerun one to regenerate its table), with
 * tensorfuse's documented differences applied on top. Nothing here is computed from src code.
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../src/dtype.js';
import { converter, DTYPES, PROMOTE, toDType, weakPromote } from '../src/dtype.js';
import type { Tensor } from '../src/index.js';
import { arange, randint, tensor } from '../src/index.js';

/** Each integer dtype's TypedArray, written out here. */
const DTYPE_ARRAYS = { uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array, uint32: Uint32Array, int32: Int32Array } as const;

const NAMES = ['bool', 'uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'] as const;
const INTS = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32'] as const;

/** A pasted table: one row per line, the row's name first, then its cells. */
function parse(text: string): Record<string, string[]> {
  const rows = text.trim().split('\n').map((l) => l.trim().split(/\s+/));
  return Object.fromEntries(rows.map(([name, ...cells]) => [name, cells]));
}

// np.promote_types(a, b) for every ordered pair (row a, column b, both in DTYPES order), from:
// python3 -c "import numpy as np; D='bool uint8 int8 uint16 int16 uint32 int32 float32 float64'.split(); [print(a, *[np.promote_types(a, b).name for b in D]) for a in D]"
const NUMPY_PROMOTE = parse(`
bool bool uint8 int8 uint16 int16 uint32 int32 float32 float64
uint8 uint8 uint8 int16 uint16 int16 uint32 int32 float32 float64
int8 int8 int16 int8 int32 int16 int64 int32 float32 float64
uint16 uint16 uint16 int32 uint16 int32 uint32 int32 float32 float64
int16 int16 int16 int16 int32 int16 int64 int32 float32 float64
uint32 uint32 uint32 int64 uint32 int64 uint32 int64 float64 float64
int32 int32 int32 int32 int32 int32 int64 int32 float64 float64
float32 float32 float32 float32 float32 float32 float64 float64 float32 float64
float64 float64 float64 float64 float64 float64 float64 float64 float64 float64
`);

/** The pairs where numpy gives int64 (a signed int with uint32), written out: we give float64. */
const INT64_PAIRS = [
  ['int8', 'uint32'], ['uint32', 'int8'], ['int16', 'uint32'], ['uint32', 'int16'], ['int32', 'uint32'], ['uint32', 'int32'],
] as const;

describe('PROMOTE against np.promote_types', () => {
  it('DTYPES is the order of the pasted table', () => {
    expect(DTYPES).toEqual(NAMES);
    expect(Object.keys(NUMPY_PROMOTE)).toEqual(NAMES);
    for (const a of NAMES) expect(NUMPY_PROMOTE[a], a).toHaveLength(NAMES.length);
    expect(Object.keys(PROMOTE)).toEqual(NAMES);
    for (const a of NAMES) expect(Object.keys(PROMOTE[a]), a).toEqual(NAMES);
  });

  for (const [i, a] of NAMES.entries()) {
    it(`row ${a}: every pair is numpy's, except int32/float32 and numpy's int64`, () => {
      const wrong: string[] = [];
      for (const [j, b] of NAMES.entries()) {
        const numpy = NUMPY_PROMOTE[a][j];
        const exception = (a === 'int32' && b === 'float32') || (a === 'float32' && b === 'int32') || numpy === 'int64';
        if (!exception && PROMOTE[a][b] !== numpy) wrong.push(`${a} with ${b}: ours ${PROMOTE[a][b]}, numpy ${numpy}`);
      }
      expect(wrong).toEqual([]);
      expect(NUMPY_PROMOTE[a][i], 'a dtype with itself').toBe(a);
    });
  }

  it('int32 with float32 is float32 in both orders (numpy: float64)', () => {
    expect(NUMPY_PROMOTE.int32[NAMES.indexOf('float32')]).toBe('float64');
    expect(NUMPY_PROMOTE.float32[NAMES.indexOf('int32')]).toBe('float64');
    expect(PROMOTE.int32.float32).toBe('float32');
    expect(PROMOTE.float32.int32).toBe('float32');
  });

  it('every pair where numpy gives int64 gives float64, and those are exactly the signed ints with uint32', () => {
    const int64 = NAMES.flatMap((a) => NAMES.filter((_, j) => NUMPY_PROMOTE[a][j] === 'int64').map((b) => `${a}/${b}`));
    expect(int64.sort()).toEqual(INT64_PAIRS.map(([a, b]) => `${a}/${b}`).sort());
    for (const [a, b] of INT64_PAIRS) expect(PROMOTE[a][b], `${a} with ${b}`).toBe('float64');
  });

  it('symmetry, checked from the data of each table, not assumed', () => {
    const asymmetric = (get: (a: string, b: string) => string): string[] =>
      NAMES.flatMap((a) => NAMES.filter((b) => get(a, b) !== get(b, a)).map((b) => `${a}/${b}`));
    expect(asymmetric((a, b) => NUMPY_PROMOTE[a][NAMES.indexOf(b as DType)])).toEqual([]);
    expect(asymmetric((a, b) => PROMOTE[a as DType][b as DType])).toEqual([]);
  });
});

/** The scalars of the weak table, in its column order. */
const SCALARS = [0, 1, -1, 127, 128, 255, 256, -128, -129, 32767, 32768, 65535, 65536, -32768, -32769,
  2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, -(2 ** 31), -(2 ** 31) - 1, 0.5, -0.5, 1e300];

// (np.zeros(1, d) + s).dtype for a python scalar s (row d, one column per SCALARS entry; OverflowError
// where numpy 2 raises), from:
// python3 -W ignore - <<'PY'
// import numpy as np
// D = 'bool uint8 int8 uint16 int16 uint32 int32 float32 float64'.split()
// S = [0, 1, -1, 127, 128, 255, 256, -128, -129, 32767, 32768, 65535, 65536, -32768, -32769,
//      2**31 - 1, 2**31, 2**32 - 1, 2**32, -(2**31), -(2**31) - 1, 0.5, -0.5, 1e300]
// def result(d, s):
//     try:
//         return (np.zeros(1, d) + s).dtype.name
//     except OverflowError:
//         return 'OverflowError'
// for d in D:
//     print(d, *[result(d, s) for s in S])
// PY
const NUMPY_WEAK = parse(`
bool int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 int64 float64 float64 float64
uint8 uint8 uint8 OverflowError uint8 uint8 uint8 OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError float64 float64 float64
int8 int8 int8 int8 int8 OverflowError OverflowError OverflowError int8 OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError float64 float64 float64
uint16 uint16 uint16 OverflowError uint16 uint16 uint16 uint16 OverflowError OverflowError uint16 uint16 uint16 OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError float64 float64 float64
int16 int16 int16 int16 int16 int16 int16 int16 int16 int16 int16 OverflowError OverflowError OverflowError int16 OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError OverflowError float64 float64 float64
uint32 uint32 uint32 OverflowError uint32 uint32 uint32 uint32 OverflowError OverflowError uint32 uint32 uint32 uint32 OverflowError OverflowError uint32 uint32 uint32 OverflowError OverflowError OverflowError float64 float64 float64
int32 int32 int32 int32 int32 int32 int32 int32 int32 int32 int32 int32 int32 int32 int32 int32 int32 OverflowError OverflowError OverflowError int32 OverflowError float64 float64 float64
float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32
float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64
`);

// (np.zeros(1, d) + True).dtype and (np.zeros(1, d) + False).dtype, from:
// python3 -c "import numpy as np; D='bool uint8 int8 uint16 int16 uint32 int32 float32 float64'.split(); [print(d, (np.zeros(1, d) + True).dtype.name, (np.zeros(1, d) + False).dtype.name) for d in D]"
const NUMPY_WEAK_BOOLEAN = parse(`
bool bool bool
uint8 uint8 uint8
int8 int8 int8
uint16 uint16 uint16
int16 int16 int16
uint32 uint32 uint32
int32 int32 int32
float32 float32 float32
float64 float64 float64
`);

/**
 * Our answer where numpy's differs, as documented: where numpy 2 raises OverflowError we give float64;
 * a bool tensor with an integer numpy makes int64 gives int32 when the integer is in int32's range
 * (-2147483648..2147483647) and float64 otherwise.
 */
function ours(d: string, s: number, numpy: string): string {
  if (numpy === 'OverflowError') return 'float64';
  if (d === 'bool' && numpy === 'int64') return s >= -2147483648 && s <= 2147483647 ? 'int32' : 'float64';
  return numpy;
}

describe('weakPromote against (np.zeros(1, d) + scalar).dtype', () => {
  it('the pasted tables have one row per dtype and one column per scalar', () => {
    expect(Object.keys(NUMPY_WEAK)).toEqual(NAMES);
    for (const d of NAMES) expect(NUMPY_WEAK[d], d).toHaveLength(SCALARS.length);
    expect(Object.keys(NUMPY_WEAK_BOOLEAN)).toEqual(NAMES);
  });

  for (const d of NAMES) {
    it(`${d} with each scalar: numpy's dtype, float64 where numpy raises${d === 'bool' ? ', int32 for numpy int64 in int32 range' : ''}`, () => {
      const wrong = SCALARS.map((s, j) => [s, ours(d, s, NUMPY_WEAK[d][j]), NUMPY_WEAK[d][j]] as const)
        .filter(([s, want]) => weakPromote(d, s) !== want)
        .map(([s, want, numpy]) => `${d} + ${s}: ours ${weakPromote(d, s)}, expected ${want} (numpy ${numpy})`);
      expect(wrong).toEqual([]);
    });
  }

  it('the documented differences, spelled out', () => {
    expect(weakPromote('uint8', 3)).toBe('uint8'); // numpy: uint8 (and wraps)
    expect(weakPromote('uint8', 300)).toBe('float64'); // numpy 2: OverflowError
    expect(weakPromote('uint8', -1)).toBe('float64'); // numpy 2: OverflowError
    expect(weakPromote('int32', 2 ** 31)).toBe('float64'); // numpy 2: OverflowError
    expect(weakPromote('int16', 0.5)).toBe('float64'); // numpy: float64 too
    expect(weakPromote('bool', 1)).toBe('int32'); // numpy: int64
    expect(weakPromote('bool', -(2 ** 31))).toBe('int32'); // numpy: int64
    expect(weakPromote('bool', 2 ** 31)).toBe('float64'); // numpy: int64
  });

  it('float tensors keep their dtype for every scalar (numpy agrees in the table)', () => {
    for (const d of ['float32', 'float64'] as const) {
      for (const s of [...SCALARS, NaN, Infinity, -Infinity, -0]) expect(weakPromote(d, s), `${d} + ${s}`).toBe(d);
    }
  });

  it('a JS boolean adopts the tensor dtype, as numpy', () => {
    for (const d of NAMES) {
      expect(NUMPY_WEAK_BOOLEAN[d], d).toEqual([d, d]);
      expect(weakPromote(d, true), `${d} + true`).toBe(d);
      expect(weakPromote(d, false), `${d} + false`).toBe(d);
    }
  });
});

// In range, numpy's np.array([min, max, 2.9, -2.9, -0.0]).astype(d) (-2.9 only for signed d) gives the same
// values (truncation, no -0); out of range numpy's astype is undefined, and these are our saturation.
describe('toDType of a float to each integer dtype at the edges', () => {
  // [input, expected] per dtype.
  const EDGES: Record<(typeof INTS)[number], [number, number][]> = {
    uint8: [[0, 0], [255, 255], [255.5, 255], [256, 255], [-1, 0], [1e300, 255], [-1e300, 0], [NaN, 0], [-0, 0], [2.9, 2], [-2.9, 0]],
    int8: [[-128, -128], [127, 127], [127.5, 127], [128, 127], [-129, -128], [1e300, 127], [-1e300, -128], [NaN, 0], [-0, 0], [2.9, 2], [-2.9, -2]],
    uint16: [[0, 0], [65535, 65535], [65535.5, 65535], [65536, 65535], [-1, 0], [1e300, 65535], [-1e300, 0], [NaN, 0], [-0, 0], [2.9, 2], [-2.9, 0]],
    int16: [[-32768, -32768], [32767, 32767], [32767.5, 32767], [32768, 32767], [-32769, -32768], [1e300, 32767], [-1e300, -32768], [NaN, 0], [-0, 0], [2.9, 2], [-2.9, -2]],
    uint32: [[0, 0], [4294967295, 4294967295], [4294967295.5, 4294967295], [4294967296, 4294967295], [-1, 0], [1e300, 4294967295], [-1e300, 0], [NaN, 0], [-0, 0], [2.9, 2], [-2.9, 0]],
    int32: [[-2147483648, -2147483648], [2147483647, 2147483647], [2147483647.5, 2147483647], [2147483648, 2147483647], [-2147483649, -2147483648], [1e300, 2147483647], [-1e300, -2147483648], [NaN, 0], [-0, 0], [2.9, 2], [-2.9, -2]],
  };

  for (const d of INTS) {
    it(`${d}: min, max, max + 0.5, max + 1, min - 1, ±1e300, NaN, -0, ±2.9`, () => {
      for (const [x, want] of EDGES[d]) expect(Object.is(toDType(x, d), want), `toDType(${Object.is(x, -0) ? '-0' : x}, ${d}) = ${toDType(x, d)}, expected ${want}`).toBe(true);
    });
  }

  it('-0 becomes +0 in every integer dtype (checked with Object.is)', () => {
    for (const d of INTS) expect(Object.is(toDType(-0, d), 0), d).toBe(true);
    for (const d of INTS) expect(Object.is(toDType(-0.7, d), 0), `-0.7 to ${d}`).toBe(true);
  });
});

// Each value is numpy's np.array([x]).astype(d)[0] (an int64 array to d wraps modulo 2^bits), e.g.
// np.array([300]).astype(np.uint8) is 44; into float32 from np.array([16777217]).astype(np.float32), into
// bool from np.array([2, 0, -1]).astype(bool). A float into an integer is our saturation (numpy: undefined).
describe('converter of integer results wraps modulo 2^bits, as numpy int astype', () => {
  it('int32 compute into each narrower or unsigned integer dtype', () => {
    const cases: [DType, number, number][] = [
      ['uint8', 300, 44], ['uint8', 256, 0], ['uint8', -300, 212],
      ['int8', 200, -56], ['int8', -129, 127],
      ['uint16', -1, 65535], ['uint16', 65541, 5],
      ['int16', 40000, -25536], ['int16', -32769, 32767], ['int16', 70000, 4464],
      ['uint32', -1, 4294967295], ['uint32', 4294967303, 7],
      ['int32', 2147483648, -2147483648], ['int32', 4294967295, -1], ['int32', -2147483649, 2147483647],
    ];
    for (const [out, x, want] of cases) expect(converter('int32', out)(x), `${x} to ${out}`).toBe(want);
  });

  it('other integer computes wrap the same way', () => {
    expect(converter('uint32', 'uint8')(300)).toBe(44);
    expect(converter('int16', 'int8')(200)).toBe(-56);
    expect(converter('uint8', 'int8')(200)).toBe(-56);
  });

  it('into a float or bool an integer result converts as a cast (numpy agrees)', () => {
    expect(converter('int32', 'float32')(16777217)).toBe(16777216);
    expect(converter('int32', 'float64')(16777217)).toBe(16777217);
    expect([2, 0, -1].map(converter('int32', 'bool'))).toEqual([1, 0, 1]);
  });

  it('a float compute into an integer dtype saturates (toDType), it does not wrap', () => {
    expect(converter('float32', 'uint8')(300)).toBe(255);
    expect(converter('float64', 'int8')(-200.5)).toBe(-128);
    expect(converter('float64', 'uint32')(-1)).toBe(0);
  });
});

// ---- the defects issue 13 found when uint8 was first added -----------------------------------------
// (Each was seen in a scratch build: a flat uint8 output failed to load with `undefined symbol:
// tf_stream_uint8_t`, `min()` gave 1 instead of 3, values printed as floats, and a float → uint8 cast
// was C's undefined conversion.) Every case runs on the C backend and on the reference; the expected
// values are written by hand from numpy's answers (np.uint8 arithmetic) or our documented saturation.
describe('the small integer dtypes end to end, on both backends', () => {
  const BACKENDS = [{ backend: 'c' }, { backend: 'ts' }] as const;
  const values = (t: Tensor, backend: (typeof BACKENDS)[number]): number[] => Array.from(t.eval(backend).data(), Number);

  it('a flat output of every integer dtype large enough to be streamed loads and is right (C backend)', () => {
    // 2^24 + 64 elements: past the streamed-store threshold (8 MiB per thread) for every width
    const n = 2 ** 24 + 64;
    for (const d of INTS) {
      const src = new DTYPE_ARRAYS[d](n);
      for (let i = 0; i < n; i++) src[i] = i % 8;
      const out = tensor(src).add(1).eval({ backend: 'c' });
      expect(out.dtype).toBe(d);
      const data = out.data();
      let wrong = 0;
      for (let i = 0; i < n; i++) if (data[i] !== (i % 8) + 1) wrong++;
      expect([data.length, wrong], d).toEqual([n, 0]);
    }
  });

  it.each(BACKENDS)('min and max use the dtype range as identity: uint8 [3, 200, 7] gives 3 and 200 (%o)', (backend) => {
    for (const d of ['uint8', 'uint16', 'uint32', 'int8', 'int16'] as const) {
      const x = tensor([3, 100, 7], { dtype: d });
      expect([values(x.min(), backend)[0], values(x.max(), backend)[0]], d).toEqual([3, 100]);
      // column reductions too (another loop), and over rows
      const m = tensor([[3, 100], [7, 5]], { dtype: d });
      expect(values(m.min(0), backend), d).toEqual([3, 5]);
      expect(values(m.max(1), backend), d).toEqual([100, 7]);
    }
  });

  it.each(BACKENDS)('sums of small ints do not wrap: uint8 [200, 200, 255].sum() is 655, float64 (numpy: uint64 655) (%o)', (backend) => {
    expect(values(tensor([200, 200, 255], { dtype: 'uint8' }).sum(), backend)).toEqual([655]);
    expect(values(tensor([-128, -128, -1], { dtype: 'int8' }).sum(), backend)).toEqual([-257]);
    expect(values(tensor([65535, 65535], { dtype: 'uint16' }).sum(), backend)).toEqual([131070]);
    expect(values(tensor([4294967295, 4294967295], { dtype: 'uint32' }).sum(), backend)).toEqual([8589934590]);
    // np.prod(np.array([255, 255, 255, 255], np.uint8)) = 4228250625 (uint64)
    expect(values(tensor([255, 255, 255, 255], { dtype: 'uint8' }).prod(), backend)).toEqual([4228250625]);
    // np.mean(np.array([255, 255, 1], np.uint8)) = 170.33333333333334
    expect(values(tensor([255, 255, 1], { dtype: 'uint8' }).mean(), backend)).toEqual([511 / 3]);
    // the elementwise op still wraps: np.array([200], np.uint8) + np.array([100], np.uint8) = 44
    expect(values(tensor([200], { dtype: 'uint8' }).add(tensor([100], { dtype: 'uint8' })), backend)).toEqual([44]);
  });

  it.each(BACKENDS)('float to small-int casts saturate with NaN -> 0, never C undefined behaviour (%o)', (backend) => {
    const f = tensor([300.5, -5, NaN, 1e300, -1e300, 254.9, -0.5, Infinity]);
    expect(values(f.cast('uint8'), backend)).toEqual([255, 0, 0, 255, 0, 254, 0, 255]);
    expect(values(f.cast('int8'), backend)).toEqual([127, -5, 0, 127, -128, 127, 0, 127]);
    expect(values(f.cast('uint16'), backend)).toEqual([300, 0, 0, 65535, 0, 254, 0, 65535]);
    expect(values(f.cast('int16'), backend)).toEqual([300, -5, 0, 32767, -32768, 254, 0, 32767]);
    expect(values(f.cast('uint32'), backend)).toEqual([300, 0, 0, 4294967295, 0, 254, 0, 4294967295]);
    // float32 sources too (their own C path): 3e9 into uint32 is exact, into int16 saturates
    const g = tensor(new Float32Array([3e9, -3e9, 70000.5]));
    expect(values(g.cast('uint32'), backend)).toEqual([3e9, 0, 70000]);
    expect(values(g.cast('int16'), backend)).toEqual([32767, -32768, 32767]);
  });

  it.each(BACKENDS)('uint32 beyond 2^31: mod, floorDiv, pow, comparisons and max are unsigned (%o)', (backend) => {
    const a = tensor([4294967295, 3000000000, 2147483648, 7], { dtype: 'uint32' });
    const b = tensor([10, 7, 2147483647, 3], { dtype: 'uint32' });
    // numpy: a % b = [5, 4, 1, 1]; a // b = [429496729, 428571428, 1, 2]; a ** 2 wraps: [1, 3800301568, 0, 49]
    expect(values(a.mod(b), backend)).toEqual([5, 4, 1, 1]);
    expect(values(a.floorDiv(b), backend)).toEqual([429496729, 428571428, 1, 2]);
    expect(values(a.pow(tensor([2, 2, 2, 2], { dtype: 'uint32' })), backend)).toEqual([1, 3800301568, 0, 49]);
    expect(values(a.gt(b), backend)).toEqual([1, 1, 1, 1]);
    expect(values(a.maximum(b), backend)).toEqual([4294967295, 3000000000, 2147483648, 7]);
    expect(values(a.max(), backend)).toEqual([4294967295]);
    expect(values(a.neg(), backend)).toEqual([1, 1294967296, 2147483648, 4294967289]);
  });
});

describe('the small integer dtypes in the API', () => {
  it('tensor() of each integer TypedArray takes its own dtype and uses the array itself (no copy)', () => {
    for (const d of INTS) {
      const arr = DTYPE_ARRAYS[d].from([1, 2, 3]);
      const t = tensor(arr);
      expect(t.dtype).toBe(d);
      expect(t.data()).toBe(arr);
    }
    // a Uint8ClampedArray is uint8, copied into a plain Uint8Array
    const c = tensor(new Uint8ClampedArray([1, 255]));
    expect([c.dtype, c.data().constructor.name, Array.from(c.data())]).toEqual(['uint8', 'Uint8Array', [1, 255]]);
  });

  it('an integer array converted to a narrower dtype wraps, as numpy astype (np.array([300, -1], np.int32).astype(np.uint8) = [44, 255])', () => {
    expect(Array.from(tensor(new Int32Array([300, -1]), { dtype: 'uint8' }).data())).toEqual([44, 255]);
    expect(Array.from(tensor(new Float64Array([300.7, -1]), { dtype: 'uint8' }).data())).toEqual([255, 0]); // floats saturate
  });

  it('integers print as integers, with the dtype named', () => {
    expect(tensor([1, 200, 3], { dtype: 'uint8' }).toString()).toBe('tensor([  1, 200,   3], dtype=uint8, shape=[3])');
    expect(tensor([-128, 5], { dtype: 'int8' }).toString()).toBe('tensor([-128,    5], dtype=int8, shape=[2])');
  });

  it('arange and randint take every integer dtype, and refuse a range the dtype does not hold', () => {
    expect(Array.from(arange(250, 256, 2, 'uint8').data())).toEqual([250, 252, 254]);
    expect(() => arange(250, 258, 2, 'uint8')).toThrow(/arange: values from 250 to 256 overflow uint8/);
    expect(Array.from(arange(4294967290, 4294967295, 2, 'uint32').data())).toEqual([4294967290, 4294967292, 4294967294]);
    const r = randint(0, 256, [1000], { dtype: 'uint8', seed: 1 });
    const v = Array.from(r.data());
    expect([r.dtype, Math.min(...v) >= 0, Math.max(...v) <= 255, new Set(v).size > 200]).toEqual(['uint8', true, true, true]);
    expect(() => randint(0, 300, [2], { dtype: 'uint8' })).toThrow(/randint: \[0, 300\) is outside what uint8 holds/);
  });
});

describe('indexing with every integer dtype', () => {
  it.each([{ backend: 'c' }, { backend: 'ts' }] as const)('gathers and scatters with uint8, int16 and uint32 indices; a uint32 index past the axis is caught (%o)', (backend) => {
    const x = tensor([10, 20, 30, 40]);
    for (const d of ['uint8', 'int8', 'uint16', 'int16', 'uint32'] as const) {
      expect(Array.from(x.at(tensor([3, 0, 2], { dtype: d })).eval(backend).data()), d).toEqual([40, 10, 30]);
    }
    // negative int8 indices count from the end (numpy)
    expect(Array.from(x.at(tensor([-1, -4], { dtype: 'int8' })).eval(backend).data())).toEqual([40, 10]);
    // 4294967295 is not -1: a uint32 index is its unsigned value, out of range here
    expect(() => x.at(tensor([4294967295], { dtype: 'uint32' })).eval(backend)).toThrow(/out of range|out of bounds/);
    const z = tensor([0, 0, 0, 0]);
    z.at(tensor([1, 3], { dtype: 'uint16' })).assign(5, backend);
    expect(Array.from(z.data())).toEqual([0, 5, 0, 5]);
  });
});

// The C a few integer and clip programs compile to (structure, not speed: bench/u8.mjs times them).
describe('the loops integer reductions and float clips compile to', () => {
  it('an integer sum, product, max or min has no lanes: one omp simd reduction loop (every order gives the same result)', () => {
    const x = tensor(new Uint8Array(1 << 20));
    for (const [r, op] of [[x.sum(), '+'], [x.prod(), '*'], [x.max(), 'max'], [tensor(new Int16Array(64)).reshape([4, 16]).min(1), 'min']] as const) {
      const c = r.toC();
      expect(c, op).toContain(`#pragma omp simd reduction(${op}:acc)`);
      expect(c, op).not.toMatch(/acc_l\[/);
    }
    // a float sum keeps its lanes: its rounding depends on the order, which both backends share
    expect(tensor(new Float32Array(1 << 20)).sum().toC()).toMatch(/acc_l\[16\]/);
  });

  it('maximum, minimum, relu and clip of floats call the named IEEE helpers', () => {
    const c = tensor(new Float32Array(64)).clip(0, 255).relu().toC();
    expect(c).toMatch(/static inline float tf_max_f32\(float a, float b\)/);
    expect(c).toMatch(/tf_min_f32\(tf_max_f32\(|tf_min_f32\(v\d+, c\d+\)|tf_max_f32\(/);
    expect(tensor(new Float64Array(64)).maximum(1).toC()).toMatch(/tf_max_f64\(/);
  });
});
