/**
 * src/dtype.ts against numpy 2 (numpy 2.4.6, from `python3`). Every expected value is a literal: numpy's
 * answers pasted from the python commands in the comments (rerun one to regenerate its table), with
 * tensorfuse's documented differences applied on top. Nothing here is computed from src code.
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../src/dtype.js';
import { converter, DTYPES, PROMOTE, toDType, weakPromote } from '../src/dtype.js';

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
