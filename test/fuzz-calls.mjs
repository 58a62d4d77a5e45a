/**
 * The API fuzzer that test/fuzz.test.ts runs in a child process (plain JavaScript: it is what a JS
 * caller can do, past every TypeScript signature). Seeded and deterministic: a tiny PRNG picks, call
 * after call, a public function or Tensor method and its arguments — mostly plausible ones, so that
 * many calls succeed and build real graphs, and otherwise wrong types, NaN/negative/fractional/huge
 * dims and axes, hostile array-likes, disposed and transferred tensors, BigInt, Symbols, Proxies.
 *
 * What it checks:
 * - every error thrown is a TensorError, or the user's own exception (a UserError thrown by one of
 *   the hostile values below) passing through, possibly as the `cause` of a TensorError;
 * - every tensor it gets back has a sane shape (≤ 64 non-negative integer dims) and dtype;
 * - a sample of the lazy results small enough to evaluate gives the same values on `backend: 'ts'`
 *   and `backend: 'c'` (evaluated in batches with evalAll: one compile per batch).
 * It never evaluates a graph of more than 1e5 elements over its nodes, so a huge dim that is (rightly)
 * accepted lazily costs nothing, and one that should be refused must be refused at record time.
 *
 * Before each call it writes the call to `progressFile`: if the process dies, the parent reports it.
 * FUZZ_DEBUG=1 prints the graph of each mismatch or C failure; FUZZ_MESSAGES=1 every distinct
 * TensorError message (digits folded), to read them for sense.
 */
import { writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { Matrix } from 'ml-matrix';

/** mulberry32: a 32-bit state PRNG, enough for choosing calls. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The exception a hostile value throws: the user's own, which may pass through tensorfuse. */
export class UserError extends Error {}

const MAX_EVAL = 1e5; // elements, summed over a graph's nodes: never evaluate more
const POOL = 48;
const BATCH = 200; // results per evalAll on C: a compile costs ~0.2 s plus ~15 ms per kernel here
const SAMPLE = 0.3; // the share of evaluable results compared across backends (compiles dominate the time)

export async function fuzz(tf, { seed, calls: maxCalls, timeMs, progressFile }) {
  const t0 = Date.now();
  const random = prng(seed);
  const int = (n) => Math.floor(random() * n);
  const chance = (p) => random() < p;
  const pick = (xs) => xs[int(xs.length)];
  const DTYPES = tf.DTYPES.slice();
  const CONFIG_KEYS = Object.keys(tf.config());
  const RESTORE = Object.fromEntries(CONFIG_KEYS.map((k) => [k, undefined]));
  const restoreConfig = () => { tf.configure(RESTORE); tf.configure({ backend: 'ts' }); };
  restoreConfig();

  const counts = {
    calls: 0, returned: 0, tensorErrors: {}, userPassedThrough: 0, failures: 0,
    compared: 0, cMs: 0, tsMs: 0, bothRefused: 0, userInEval: 0, mismatches: 0, cBatches: 0, skippedLarge: 0, stoppedByTime: false,
  };
  const mismatches = [];
  const messages = new Set();
  // One line per kind of failure (the call's function and the error's first words), with a count.
  const failureKinds = new Map();
  const fail = (call, what) => {
    counts.failures++;
    const key = `${call.replace(/\(.*$/s, '').replace(/^.*\./, '.')} ${what.split('\n')[0].replace(/\d+/g, 'N').slice(0, 80)}`;
    const kind = failureKinds.get(key);
    if (kind) kind.n++;
    else if (failureKinds.size < 60) failureKinds.set(key, { n: 1, text: `${call}\n    ${what}` });
  };
  const errorText = (e) => {
    try { return `${e?.constructor?.name ?? typeof e}: ${String(e?.message ?? e).slice(0, 300)}\n      ${String(e?.stack ?? '').split('\n').slice(1, 4).join('\n      ')}`; } catch { return 'an undescribable exception'; }
  };
  const isUser = (e) => {
    for (let x = e, i = 0; x && i < 5; x = x.cause, i++) if (x instanceof UserError) return true;
    return false;
  };
  /** Sorts one thrown value; returns true when it is acceptable. */
  const classify = (call, e, where = '') => {
    if (isUser(e)) { counts.userPassedThrough++; return true; }
    if (e instanceof tf.TensorError) {
      counts.tensorErrors[e.name] = (counts.tensorErrors[e.name] ?? 0) + 1;
      const m = e.message;
      if (typeof m !== 'string' || !m.includes(':')) fail(call, `${where}TensorError without "op: ..." message: ${String(m)}`);
      else if (m.length > 2000 || m.includes('[object ')) fail(call, `${where}TensorError with a message that does not describe its value: ${m.slice(0, 300)}`);
      if (process.env.FUZZ_MESSAGES) messages.add(`${e.name}: ${m.replace(/\d+/g, 'N').slice(0, 160)}`);
      return true;
    }
    fail(call, `${where}threw ${errorText(e)}`);
    return false;
  };

  // ---- values ------------------------------------------------------------------------------------
  const L = (v, s) => ({ v, s });
  const show = (x, depth = 0) => {
    if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
    if (typeof x === 'bigint') return `${x}n`;
    if (typeof x === 'string') return JSON.stringify(x.length > 30 ? `${x.slice(0, 30)}…` : x);
    if (Array.isArray(x)) return depth > 3 ? '[…]' : `[${x.slice(0, 8).map((y) => show(y, depth + 1)).join(',')}${x.length > 8 ? ',…' : ''}]`;
    if (x instanceof tf.Tensor) return `Tensor(${x.dtype} [${x.shape.join(',')}])`;
    return String(typeof x);
  };
  const userThrow = (what) => () => { throw new UserError(`user exception from ${what}`); };
  const circularArray = () => { const a = [1]; a.push(a); return a; };
  const circularObject = () => { const o = { a: 1 }; o.self = o; return o; };
  const hostileObject = () => ({ [Symbol.toPrimitive]: userThrow('toPrimitive'), toString: userThrow('toString'), valueOf: userThrow('valueOf') });
  const throwingConstructor = () => Object.defineProperty({}, 'constructor', { get: userThrow('a constructor getter') });
  const detached = () => { const a = new Float64Array([1, 2, 3]); structuredClone(a.buffer, { transfer: [a.buffer] }); return a; };

  /** Wrong values of every kind (fresh each time: some are stateful). */
  const JUNK = [
    () => L('a', '"a"'), () => L('', '""'), () => L('3', '"3"'), () => L('float32', '"float32"'), () => L({}, '{}'), () => L([], '[]'),
    () => L([[]], '[[]]'), () => L(null, 'null'), () => L(undefined, 'undefined'), () => L(Symbol('s'), 'Symbol(s)'),
    () => L(3n, '3n'), () => L(-1n, '-1n'), () => L(2n ** 70n, '2n**70n'), () => L(() => 1, '() => 1'), () => L(new Proxy({}, {}), 'Proxy({})'),
    () => L(new Proxy({}, { get: userThrow('a Proxy get trap') }), 'Proxy(get throws)'),
    () => L(new Proxy([1, 2], { get: userThrow('a Proxy get trap') }), 'Proxy([1,2], get throws)'),
    () => L(new Proxy({}, { getPrototypeOf: userThrow('a getPrototypeOf trap') }), 'Proxy(getPrototypeOf throws)'),
    () => L(NaN, 'NaN'), () => L(Infinity, 'Infinity'), () => L(-Infinity, '-Infinity'), () => L(-1, '-1'), () => L(1.5, '1.5'),
    () => L(2 ** 40, '2**40'), () => L(-(2 ** 40), '-2**40'), () => L(2 ** 31, '2**31'), () => L(2 ** 32, '2**32'), () => L(-0, '-0'),
    () => L(Number.MAX_VALUE, 'MAX_VALUE'), () => L(5e-324, '5e-324'), () => L(true, 'true'), () => L(false, 'false'),
    () => L(new Date(0), 'Date'), () => L(/re/, '/re/'), () => L(new Map(), 'Map'), () => L(Object.create(null), 'Object.create(null)'),
    () => L(hostileObject(), 'object whose toPrimitive/toString/valueOf throw'), () => L(throwingConstructor(), 'object whose constructor getter throws'),
    () => L(circularArray(), 'circular array'), () => L(circularObject(), 'circular object'), () => L({ length: 2 ** 40 }, '{length: 2**40}'),
    () => L(new Array(2 ** 32 - 1), 'new Array(2**32-1)'), () => L([, 2], '[ ,2] (holey)'), () => L({ length: 2, 0: 1, 1: 2 }, 'array-like {0,1,length}'),
    () => L(new Float64Array(3), 'Float64Array(3)'), () => L(new Int8Array(2), 'Int8Array(2)'), () => L(new BigInt64Array(2), 'BigInt64Array(2)'),
    () => L(new DataView(new ArrayBuffer(8)), 'DataView'), () => L(detached(), 'detached Float64Array'), () => L(new Number(3), 'new Number(3)'),
    () => L(new String('float32'), 'new String("float32")'), () => L('toString', '"toString"'), () => L('__proto__', '"__proto__"'),
    () => L(Promise.resolve(1), 'Promise'), () => L(Array.from({ length: 100 }, (_, i) => i), '[0..99]'),
    () => L(Object.defineProperty([1, 2], 0, { get: userThrow('an array getter') }), '[1,2] with index 0 getter throwing'),
    () => L(new Proxy([1, 2], { get: (t, k) => (k === 'length' ? userThrow('a length trap')() : Reflect.get(t, k)) }), 'Proxy([1,2], length throws)'),
  ];
  const junk = () => pick(JUNK)();

  /**
   * `valid` as a hostile array: a getter that turns into `bad` after a few reads, a Proxy whose length
   * grows after the first read, or one whose element read throws (the user's exception).
   */
  const hostileArray = (valid, bad) => {
    const kind = int(3);
    if (kind === 0 && valid.length > 0) {
      const a = valid.slice(), at = int(a.length), honest = 1 + int(4);
      let reads = 0;
      Object.defineProperty(a, at, { get: () => (reads++ < honest ? valid[at] : bad), enumerable: true });
      return L(a, `${show(valid)} with index ${at} turning into ${show(bad)} after ${honest} reads`);
    }
    if (kind === 1) {
      let reads = 0;
      const p = new Proxy(valid.slice(), { get: (t, k) => (k === 'length' ? (reads++ ? t.length + 1 + int(100) : t.length) : Reflect.get(t, k)) });
      return L(p, `Proxy(${show(valid)}) whose length grows after the first read`);
    }
    const a = valid.slice();
    Object.defineProperty(a, a.length ? int(a.length) : 0, { get: userThrow('an array getter'), enumerable: true });
    return L(a, `${show(valid)} with a throwing getter`);
  };

  const BAD_DIMS = [NaN, Infinity, -Infinity, -1, -0, 1.5, 2 ** 40, 2 ** 31, 2 ** 32, 2 ** 53, '2', null, undefined, 2n, true];
  const smallShape = () => Array.from({ length: int(4) }, () => (chance(0.1) ? 0 : 1 + int(3)));
  /** A shape argument: usually `valid` (or a random small shape), otherwise wrong in one of many ways. */
  const shapeArg = (valid = smallShape()) => {
    if (chance(0.55)) return L(valid.slice(), show(valid));
    switch (int(9)) {
      case 0: { const s = valid.slice(); s[s.length ? int(s.length) : 0] = pick(BAD_DIMS); return L(s, show(s)); }
      case 1: return L(valid.length === 1 ? valid[0] : 3, show(valid.length === 1 ? valid[0] : 3));
      case 2: return L(Array(65).fill(1), '65 ones');
      case 3: return L([2 ** 20, 2 ** 20, 2 ** 20], '[2**20,2**20,2**20]');
      case 4: return chance(0.5) ? L([2 ** 16, 2 ** 16], '[2**16,2**16]') : L([0, 2 ** 40], '[0,2**40]');
      case 5: return hostileArray(valid, pick([2 ** 20, -1, 1e9, NaN, 'x']));
      case 6: return L(circularArray(), 'circular array');
      case 7: return L(Array(1000).fill(1), '1000 ones');
      default: return junk();
    }
  };
  /** An axis argument for a tensor of `nd` dims (`extra` = 1 for unsqueeze/stack). */
  const axisArg = (nd, extra = 0) => {
    const n = nd + extra;
    if (chance(0.5) && n > 0) { const a = int(2 * n) - n; return L(a, String(a)); }
    switch (int(8)) {
      case 0: return L(n, String(n));
      case 1: return L(-n - 1, String(-n - 1));
      case 2: return L(pick([NaN, 0.5, 2 ** 40, -(2 ** 40), Infinity, -0]), 'bad number');
      case 3: { const a = Array.from({ length: 1 + int(Math.max(1, n)) }, () => int(Math.max(1, n))); return L(a, show(a)); }
      case 4: return L(undefined, 'undefined');
      case 5: return hostileArray([0], pick([5, -100, NaN]));
      case 6: return L([0, 0], '[0,0]');
      default: return junk();
    }
  };
  const dtypeArg = () => (chance(0.75) ? ((d) => L(d, d))(pick(DTYPES)) : chance(0.5) ? L(pick(['float16', 'int64', 'uint64', 'Float32', '', 'toString', '__proto__', 'constructor', 'hasOwnProperty']), 'bad dtype name') : junk());
  const numberArg = () => (chance(0.7) ? ((x) => L(x, show(x)))(pick([0, 1, -1, 2, 0.5, -2.5, 3, 1e10, -1e-10, NaN, Infinity, -Infinity, -0, 7, 2 ** 31, 255])) : junk());

  // ---- tensors -----------------------------------------------------------------------------------
  const randomValue = (d) => {
    if (d === 'bool') return chance(0.5);
    const v = pick([0, 1, -1, 2, 3, -3, 0.5, -0.25, 10, 100, -7, 1e-3, 2 ** 31 - 1, -(2 ** 31), NaN, Infinity, -Infinity, -0, 1e20, 5e-320]);
    return !d.startsWith('float') && !Number.isFinite(v) ? 0 : v;
  };
  const nested = (shape, d) => (shape.length === 0 ? randomValue(d) : Array.from({ length: shape[0] }, () => nested(shape.slice(1), d)));
  const fresh = () => {
    const shape = smallShape(), d = pick(DTYPES);
    switch (int(6)) {
      case 0: return tf.tensor(nested(shape, d), { dtype: d });
      case 1: return tf.full(shape, randomValue(d), d);
      case 2: return tf.rand(shape, { seed: int(100), dtype: pick(['float32', 'float64']) });
      case 3: return tf.arange(int(12)).reshape([-1]);
      case 4: return tf.tensor(nested(shape, d), { dtype: d }).add(pick([1, 0.5, true])).cast(d === 'bool' ? 'int32' : d);
      default: return tf.tensor(nested(shape, d), { dtype: d }).eval({ backend: 'ts' });
    }
  };
  const pool = Array.from({ length: POOL }, fresh);
  const keep = (t) => { if (t.size <= 1e4) pool[int(POOL)] = t; }; // (its graph is bounded by checkTensor)
  const disposedTensor = () => { const t = fresh(); t.eval({ backend: 'ts' }); t.dispose(); return t; };
  const transferred = () => {
    const arr = new Float64Array([1, 2, 3, 4, 5, 6]);
    const t = tf.tensor(arr, { shape: [2, 3] });
    const lazy = chance(0.5) ? t.mul(2) : t;
    structuredClone(arr.buffer, { transfer: [arr.buffer] });
    return lazy;
  };
  const tensorArg = () => {
    const r = random();
    if (r < 0.85) { const t = pick(pool); return L(t, `pool ${show(t)}`); }
    if (r < 0.91) return L(disposedTensor(), 'a disposed tensor');
    if (r < 0.95) return L(transferred(), 'a tensor whose buffer was transferred');
    return junk();
  };
  /** Something broadcastable next to `t` most of the time. */
  const operandArg = (t) => {
    const r = random();
    if (r < 0.35 && t instanceof tf.Tensor) {
      const same = pool.filter((x) => x.ndim <= t.ndim && x.shape.every((d, i) => d === 1 || d === t.shape[t.ndim - x.ndim + i]));
      if (same.length) { const x = pick(same); return L(x, `pool ${show(x)}`); }
    }
    if (r < 0.6) return numberArg();
    if (r < 0.7) return L(chance(0.5), 'a boolean');
    return chance(0.7) ? tensorArg() : junk();
  };
  // eval/evalAsync/assign with backend 'c' take other paths (a one-off program, a worker thread, an
  // in-place write) and a compile each: a few per run.
  let directC = 6;
  const optsArg = (allowC = false) => {
    if (allowC && directC > 0 && chance(0.1)) { directC--; return L({ backend: 'c', fuse: chance(0.7) }, "{backend:'c'}"); }
    switch (int(9)) {
      case 0: return L(undefined, 'undefined');
      case 1: return L({ backend: 'ts' }, "{backend:'ts'}");
      case 2: return L({ backend: 'ts', fuse: false }, "{backend:'ts',fuse:false}");
      case 3: return L({ backend: pick(['gpu', 1n, null, 'C']) }, '{backend: bad}');
      case 4: return L({ fuse: pick(['yes', 1, circularArray(), 1n]) }, '{fuse: bad}');
      case 5: return L(Object.defineProperty({}, 'backend', { get: userThrow('an options getter') }), '{get backend() throws}');
      case 6: return L(Object.defineProperty({}, 'fuse', { get: ((n) => () => (n++ ? 'x' : true))(0) }), '{fuse: true, then "x"}');
      default: return junk();
    }
  };

  // ---- custom ops --------------------------------------------------------------------------------
  let names = 0;
  const customOps = [];
  const customKernels = [];
  const nameArg = (prefix) => (chance(0.7) ? L(`${prefix}_${seed}_${names++}`, 'a fresh name') : chance(0.5) ? L(pick(['1abc', 'a-b', '', 'add', 'reshape', 'sum', 'x y', 'é']), 'a bad name') : junk());
  const OP_SPECS = [
    () => L({ arity: 1, c: 'a * 2 + 1', ref: (a) => a * 2 + 1 }, 'a*2+1'),
    () => L({ arity: 2, c: 'a - b * 0.5', ref: (a, b) => a - b * 0.5, dtype: 'same' }, 'a-b*0.5 same'),
    () => L({ arity: 1, c: 'a > 0', ref: (a) => (a > 0 ? 1 : 0), dtype: 'bool' }, 'a>0 bool'),
    () => L({ arity: 1, c: 'a', ref: userThrow('a defineOp ref') }, 'ref throws'),
    () => L({ arity: pick([0, 4, 1.5, '1', 1n, null]), c: 'a', ref: (a) => a }, 'bad arity'),
    () => L({ arity: 1, c: pick(['', '  ', 'a; b', '/* x */ a', 1, null, 1n]), ref: (a) => a }, 'bad c'),
    () => L({ arity: 1, c: 'a', ref: pick([null, 'a', 1n, {}]) }, 'bad ref'),
    () => L({ arity: 1, c: 'a', ref: (a) => a, dtype: pick(['float16', 1n, {}, circularObject(), 'toString']) }, 'bad dtype'),
    () => L({ arity: 1, c: 'a', ref: (a) => a, ulps: pick([-1, NaN, '4', 1n]) }, 'bad ulps'),
    () => L({ arity: 1, c: 'a', ref: (a) => a, domain: pick([[[1, 0]], 'x', [[0, NaN]], [[0, 1], [0, 1]], circularArray()]) }, 'bad domain'),
    () => L(Object.defineProperty({ c: 'a', ref: (a) => a }, 'arity', { get: userThrow('a spec getter'), enumerable: true }), 'spec getter throws'),
    () => junk(),
  ];
  // 0/1 in every dtype: the dtype rules below may make the output bool, and a bool holding 2 is the
  // kernel's bug, not tensorfuse's.
  const KERNEL_C = 'for (int64_t i = 0; i < n; i++) out[i] = i < n0 && in0[i] != 0;';
  const kernelRef = (ins, out) => { for (let i = 0; i < out.length; i++) out[i] = i < ins[0].length && ins[0][i] !== 0 ? 1 : 0; };
  const KERNEL_SPECS = [
    () => L({ inputs: 1, c: KERNEL_C, ref: kernelRef }, 'nonzero'),
    () => L({ inputs: 1, c: KERNEL_C, ref: kernelRef, shape: (s) => [s.reduce((a, b) => a * b, 1) + 1] }, 'nonzero, one longer'),
    () => L({ inputs: 1, c: KERNEL_C, ref: kernelRef, shape: () => shapeArg([2, 2]).v }, 'shape rule returns a fuzzed shape'),
    () => L({ inputs: 1, c: KERNEL_C, ref: kernelRef, dtype: () => dtypeArg().v }, 'dtype rule returns a fuzzed dtype'),
    () => L({ inputs: 1, c: KERNEL_C, ref: kernelRef, shape: userThrow('a shape rule') }, 'shape rule throws'),
    () => L({ inputs: pick([0, 17, 1.5, '1', 1n, NaN]), c: KERNEL_C, ref: kernelRef }, 'bad inputs'),
    () => L({ inputs: 1, c: pick(['', 1, null]), ref: kernelRef }, 'bad c'),
    () => L({ inputs: 1, c: KERNEL_C, ref: kernelRef, shape: pick(['x', [1], 1n]) }, 'shape rule not a function'),
    () => junk(),
  ];

  // ---- the calls ---------------------------------------------------------------------------------
  /** Each entry returns [description, thunk]. */
  const method = (name, argsOf) => () => {
    const r = random();
    const self = r < 0.9 ? pick(pool) : r < 0.96 ? disposedTensor() : transferred();
    const args = argsOf(self);
    const recv = r < 0.9 ? show(self) : r < 0.96 ? 'a disposed tensor' : 'a tensor whose buffer was transferred';
    return [`${recv}.${name}(${args.map((a) => a.s).join(', ')})`, () => {
      const f = self[name];
      return typeof f === 'function' ? f.apply(self, args.map((a) => a.v)) : f;
    }];
  };
  const fn = (name, argsOf) => () => {
    const args = argsOf();
    return [`${name}(${args.map((a) => a.s).join(', ')})`, () => tf[name](...args.map((a) => a.v))];
  };
  const reshapeTarget = (t) => {
    const n = t.size;
    const opts = [[n], [-1], [1, n], [n, 1], [-1, 1]];
    for (let k = 2; k <= n; k++) if (n % k === 0) opts.push([k, n / k], [k, -1], [1, k, n / k]);
    return shapeArg(pick(opts));
  };
  const expandTarget = (t) => shapeArg([...(chance(0.5) ? [1 + int(3)] : []), ...t.shape.map((d) => (d === 1 ? 1 + int(3) : chance(0.2) ? -1 : d))]);
  const permutation = (nd) => { const p = [...Array(nd).keys()]; for (let i = nd - 1; i > 0; i--) { const j = int(i + 1); [p[i], p[j]] = [p[j], p[i]]; } return p; };
  const sliceList = (nd, kind) => {
    if (chance(0.15)) return junk();
    const n = int(nd + 1) + (chance(0.05) ? 2 : 0);
    const a = Array.from({ length: n }, () => (kind === 'step' ? pick([1, 1, -1, 2, -2, 3, 0, 1.5, null]) : pick([0, 1, -1, 2, -2, null, 5, -100, 2 ** 40, NaN, 0.5])));
    return chance(0.1) && a.length ? hostileArray(a, kind === 'step' ? 0 : 2 ** 31) : L(a, show(a));
  };
  const widthsArg = (t) => {
    if (chance(0.2)) return junk();
    const pairs = t.shape.map(() => [int(3), int(3)]);
    const r = random();
    if (r < 0.5) return L(pairs, show(pairs));
    if (r < 0.6) return L([[1, 2]], '[[1,2]]');
    if (r < 0.7) return L(t.shape.map(() => [2 ** 40, 0]), 'widths 2**40');
    if (r < 0.8) return hostileArray(pairs, [1e6, 1e6]);
    if (r < 0.9) return L(pairs.map((p) => (chance(0.5) ? hostileArray(p, 2 ** 30).v : p)), 'pairs with hostile entries');
    return L(t.shape.map(() => [pick([-1, 1.5, NaN, '1', 1n]), 0]), 'bad widths');
  };
  const listOf = (make) => {
    const xs = Array.from({ length: 1 + int(3) }, make);
    const list = xs.map((x) => x.v);
    if (chance(0.15) && list.length) return hostileArray(list, pick([5, null, tf.zeros([7, 7])]));
    return L(list, `[${xs.map((x) => x.s).join(', ')}]`);
  };
  const sameShapeTensors = () => {
    const t = pick(pool);
    const same = pool.filter((x) => x.shape.length === t.shape.length && x.shape.every((d, i) => d === t.shape[i]));
    return Array.from({ length: 1 + int(3) }, () => (chance(0.9) ? ((x) => L(x, show(x)))(pick(same)) : tensorArg()));
  };

  /** An index item of x.at(...): numbers (some out of range), slices (some junk), null, '...', arrays, masks, tensors. */
  const indexItem = (t, axis) => {
    const dim = t.shape[axis] ?? 3;
    const r = random();
    if (r < 0.2) return ((v) => L(v, show(v)))(pick([0, -1, 1, dim - 1, dim, -dim - 1, 2 ** 40, 1.5, NaN]));
    if (r < 0.35) return ((v) => L(v, show(v)))(pick([':', '1:', ':-1', '::2', '::-1', '8:2:-2', '-3:', '1:2:0', 'a:b', '...', ' : ', '1:2:3:4']));
    if (r < 0.4) return L(null, 'null');
    if (r < 0.6) {
      const a = Array.from({ length: int(4) }, () => pick([0, 1, -1, dim - 1, dim, -dim - 1, 2 ** 31, 0.5, true]));
      return chance(0.1) ? hostileArray(a, 2 ** 33) : L(a, show(a));
    }
    if (r < 0.75) {
      const v = Int32Array.from({ length: 1 + int(4) }, () => pick([0, 1, -1, dim - 1, dim, -dim - 1, 2147483647, -2147483648]));
      const x = tf.tensor(v);
      return L(x, `int32 ${show(Array.from(v))}`);
    }
    if (r < 0.85) { const b = pick(pool.filter((x) => x.dtype === 'bool')) ?? pick(pool); return L(b, show(b)); }
    return junk();
  };
  const indexItems = (t) => Array.from({ length: int(t.ndim + 2) }, (_, i) => indexItem(t, i));
  const atCall = (t) => { const items = indexItems(t); return [`${show(t)}.at(${items.map((a) => a.s).join(', ')})`, items]; };

  const CALLS = [
    () => { const t = pick(pool); const [s, items] = atCall(t); return [s, () => t.at(...items.map((a) => a.v))]; },
    () => {
      const t = pick(pool);
      const [s, items] = atCall(t);
      const v = chance(0.6) ? operandArg(t) : ((x) => L(x, show(x)))(pick(pool));
      const opts = chance(0.5) ? L(undefined, 'undefined') : chance(0.8) ? ((o) => L({ op: o }, `{op: ${show(o)}}`))(pick(['add', 'mul', 'max', 'min', 'pow', undefined])) : junk();
      return [`${s}.assign(${v.s}, ${opts.s})`, () => t.at(...items.map((a) => a.v)).assign(v.v, opts.v)];
    },
    method('take', (t) => [indexItem(t, 0), chance(0.5) ? L(undefined, 'undefined') : axisArg(t.ndim)]),
    method('takeAlongAxis', (t) => [indexItem(t, 0), axisArg(t.ndim)]),
    method('putAlongAxis', (t) => [indexItem(t, 0), operandArg(t), axisArg(t.ndim)]),
    method('scatter', (t) => [axisArg(t.ndim), indexItem(t, 0), operandArg(t), chance(0.5) ? L(undefined, 'undefined') : L({ op: pick(['add', 'max', 'x']) }, '{op}')]),
    method('nonzero', () => []), method('argwhere', () => []),
    // scans and sorting (issue 15)
    ...['cumsum', 'cumprod', 'cummax', 'cummin'].map((m) => method(m, (t) => (chance(0.3) ? [] : [axisArg(t.ndim)]))),
    ...['sort', 'argsort'].map((m) => method(m, (t) => [axisArg(t.ndim), chance(0.5) ? L(undefined, 'undefined') : chance(0.7) ? L({ descending: chance(0.5) }, '{descending}') : junk()])),
    method('topk', (t) => [chance(0.8) ? L(int(4), 'k') : numberArg(), axisArg(t.ndim), chance(0.5) ? L(undefined, 'undefined') : chance(0.7) ? L({ largest: chance(0.5) }, '{largest}') : junk()]),
    method('median', (t) => (chance(0.3) ? [] : [axisArg(t.ndim), L(chance(0.5), 'keepdims')])),
    method('quantile', (t) => [chance(0.6) ? L(pick([0, 0.25, 0.5, 1]), 'q') : chance(0.5) ? L([0.1, 0.9], '[0.1, 0.9]') : numberArg(), axisArg(t.ndim), L(chance(0.5), 'keepdims')]),
    method('searchsorted', (t) => [operandArg(t), chance(0.5) ? L(undefined, 'undefined') : chance(0.7) ? L({ side: pick(['left', 'right']) }, '{side}') : junk()]),
    method('unique', () => [chance(0.5) ? L(undefined, 'undefined') : chance(0.7) ? L({ counts: chance(0.5) }, '{counts}') : junk()]),
    fn('oneHot', () => [indexItem(pick(pool), 0), chance(0.8) ? L(int(5), 'depth') : numberArg()]),
    fn('bincount', () => [tensorArg(), chance(0.5) ? L(undefined, 'undefined') : chance(0.5) ? L({ minlength: int(6) }, '{minlength}') : junk()]),
    ...['neg', 'abs', 'sqrt', 'exp', 'log', 'log1p', 'expm1', 'sin', 'cos', 'tan', 'tanh', 'sigmoid', 'relu', 'floor', 'ceil', 'round',
      'sign', 'reciprocal', 'square', 'not', 'flatten', 'contiguous'].map((m) => method(m, () => (chance(0.1) ? [junk()] : []))),
    ...['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod', 'lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or'].map((m) => method(m, (t) => [operandArg(t)])),
    method('matmul', (t) => [chance(0.5) ? ((x) => L(x, show(x)))(pick(pool)) : operandArg(t)]),
    method('dot', (t) => [chance(0.5) ? ((x) => L(x, show(x)))(pick(pool)) : operandArg(t)]),
    method('where', (t) => [operandArg(t), operandArg(t)]),
    method('clip', (t) => [chance(0.2) ? L(null, 'null') : operandArg(t), chance(0.2) ? L(null, 'null') : operandArg(t)]),
    method('axpy', (t) => [operandArg(t), operandArg(t)]),
    method('cast', () => [dtypeArg()]),
    ...['sum', 'prod', 'max', 'min', 'argmax', 'argmin', 'mean'].map((m) => method(m, (t) => [axisArg(t.ndim), chance(0.8) ? L(chance(0.5), 'keepdims') : junk()])),
    ...['variance', 'std'].map((m) => method(m, (t) => [axisArg(t.ndim), L(chance(0.5), 'keepdims'), chance(0.7) ? L(int(2), 'ddof') : junk()])),
    ...['softmax', 'logSoftmax'].map((m) => method(m, (t) => [axisArg(t.ndim)])),
    method('reshape', (t) => [reshapeTarget(t)]),
    method('transpose', (t) => [chance(0.2) ? L(undefined, 'undefined') : chance(0.6) ? ((p) => (chance(0.15) ? hostileArray(p, 99) : L(p, show(p))))(permutation(t.ndim)) : axisArg(t.ndim)]),
    method('expand', (t) => [expandTarget(t)]),
    method('broadcastTo', (t) => [expandTarget(t)]),
    method('slice', (t) => [sliceList(t.ndim, 'bound'), sliceList(t.ndim, 'bound'), sliceList(t.ndim, 'step')]),
    method('squeeze', (t) => [chance(0.3) ? L(undefined, 'undefined') : axisArg(t.ndim)]),
    method('unsqueeze', (t) => [axisArg(t.ndim, 1)]),
    method('flip', (t) => [chance(0.3) ? L(undefined, 'undefined') : axisArg(t.ndim)]),
    method('pad', (t) => [widthsArg(t), chance(0.8) ? numberArg() : junk()]),
    // issue 15: numpy math, composites, shape helpers, function forms
    ...['asin', 'acos', 'atan', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'log2', 'log10', 'exp2', 'cbrt', 'erf', 'erfc', 'trunc',
      'isnan', 'isinf', 'isfinite', 'softplus', 'clone'].map((m) => method(m, () => (chance(0.1) ? [junk()] : []))),
    ...['atan2', 'hypot', 'floorDiv', 'xor', 'logaddexp', 'isclose'].map((m) => method(m, (t) => [chance(0.1) ? L([1, 2], '[1, 2]') : operandArg(t)])),
    method('isclose', (t) => [operandArg(t), chance(0.6) ? L({ rtol: pick([0, 1e-5, 0.5]), atol: pick([0, 1e-8, 1]), equalNan: chance(0.5) }, '{rtol, atol, equalNan}') : junk()]),
    method('allclose', (t) => [operandArg(t), chance(0.7) ? L(undefined, 'undefined') : junk()]),
    ...['logsumexp', 'any', 'all'].map((m) => method(m, (t) => [axisArg(t.ndim), chance(0.8) ? L(chance(0.5), 'keepdims') : junk()])),
    method('norm', (t) => [chance(0.8) ? ((o) => L(o, show(o)))(pick([undefined, 1, 2, Infinity, -Infinity, 0, 3, 'fro', -1])) : junk(), chance(0.3) ? L(undefined, 'undefined') : axisArg(t.ndim), L(chance(0.5), 'keepdims')]),
    method('pad', (t) => [widthsArg(t), chance(0.8) ? ((m) => L({ mode: m }, `{mode: '${m}'}`))(pick(['edge', 'reflect', 'symmetric', 'wrap', 'constant'])) : junk()]),
    method('split', (t) => [chance(0.7) ? ((n) => L(n, show(n)))(pick([1, 2, 3, [1], [0, 2], [-1, 5]])) : junk(), axisArg(t.ndim)]),
    method('tile', (t) => [chance(0.8) ? ((r) => L(r, show(r)))(pick([2, [1, 2], [2, 1, 1], 0])) : junk()]),
    method('repeat', (t) => [chance(0.8) ? L(int(3), 'n') : numberArg(), chance(0.3) ? L(undefined, 'undefined') : axisArg(t.ndim)]),
    method('roll', (t) => [chance(0.8) ? L(int(7) - 3, 'shift') : junk(), chance(0.3) ? L(undefined, 'undefined') : axisArg(t.ndim)]),
    method('swapaxes', (t) => [axisArg(t.ndim), axisArg(t.ndim)]),
    method('moveaxis', (t) => [axisArg(t.ndim), axisArg(t.ndim)]),
    ...['diagonal', 'trace'].map((m) => method(m, (t) => [chance(0.8) ? L(int(3) - 1, 'offset') : numberArg(), axisArg(t.ndim), axisArg(t.ndim)])),
    ...['tril', 'triu'].map((m) => method(m, () => [chance(0.8) ? L(int(3) - 1, 'k') : numberArg()])),
    ...['exp', 'floorDiv', 'sum'].map((name) => fn(name, () => [operandArg(pick(pool)), name === 'floorDiv' ? operandArg(pick(pool)) : chance(0.5) ? L(undefined, 'undefined') : axisArg(2)])),
    fn('diag', () => [chance(0.8) ? tensorArg() : junk(), chance(0.7) ? L(int(3) - 1, 'k') : numberArg()]),
    fn('outer', () => [tensorArg(), operandArg(pick(pool))]),
    fn('meshgrid', () => [chance(0.8) ? listOf(tensorArg) : junk(), chance(0.7) ? L({ indexing: pick(['xy', 'ij']) }, '{indexing}') : junk()]),
    fn('logspace', () => [numberArg(), numberArg(), chance(0.7) ? L(int(6), 'n') : numberArg(), chance(0.5) ? L(undefined, 'undefined') : numberArg()]),
    // issue 15: einsum, tensordot, random sampling
    fn('einsum', () => {
      const xs = Array.from({ length: 1 + int(3) }, () => pick(pool));
      const term = (t) => (chance(0.15) ? '...' : Array.from({ length: t.ndim }, () => pick(['i', 'j', 'k', 'i'])).join(''));
      const lhs = xs.map(term).join(',');
      const subs = chance(0.1) ? pick(['i1', '->', 'i->i->', '.', 'ij->k', '', 'i,i,i,i']) : chance(0.5) ? lhs : `${lhs}->${pick(['', 'i', 'ij', 'ji', '...', 'k', '...i'])}`;
      return [chance(0.9) ? L(subs, JSON.stringify(subs)) : junk(), ...xs.map((x) => (chance(0.9) ? L(x, show(x)) : tensorArg()))];
    }),
    fn('tensordot', () => [tensorArg(), tensorArg(), chance(0.4) ? L(int(3), 'n') : chance(0.5) ? ((a) => L(a, show(a)))(pick([[[0], [1]], [[-1], [0]], [0, 0], [[0, 1], [1, 0]], [[], []]])) : junk()]),
    fn('randint', () => [chance(0.8) ? L(int(5) - 2, 'low') : numberArg(), chance(0.8) ? L(3 + int(5), 'high') : numberArg(), shapeArg(), chance(0.5) ? L({ seed: int(9) }, '{seed}') : chance(0.5) ? L({ seed: 1, dtype: dtypeArg().v }, '{seed, dtype}') : junk()]),
    ...['uniform', 'normal'].map((name) => fn(name, () => [chance(0.8) ? L(int(3) - 1, 'a') : numberArg(), chance(0.8) ? L(2 + int(3), 'b') : numberArg(), shapeArg(), chance(0.5) ? L({ seed: int(9) }, '{seed}') : chance(0.5) ? L({ seed: 2, dtype: dtypeArg().v }, '{seed, dtype}') : junk()])),
    fn('bernoulli', () => [chance(0.4) ? L(random(), 'p') : chance(0.5) ? tensorArg() : numberArg(), chance(0.7) ? shapeArg() : L(undefined, 'undefined'), chance(0.7) ? L({ seed: int(9) }, '{seed}') : junk()]),
    ...['permutation', 'shuffle'].map((name) => fn(name, () => [chance(0.5) ? tensorArg() : chance(0.7) ? L(int(20), 'n') : numberArg(), chance(0.7) ? L({ seed: int(9) }, '{seed}') : junk()])),
    fn('conv2d', () => {
      const x = chance(0.8) ? ((t) => L(t, show(t)))(pick([tf.rand([1, 2, 4, 5], { seed: 1 }), tf.ones([2, 1, 3, 3]), ...pool])) : tensorArg();
      const c = x.v instanceof tf.Tensor && x.v.ndim === 4 ? x.v.shape[1] : 2;
      const w = chance(0.8) ? L(tf.ones([2, c, 1 + int(3), 1 + int(3)]), 'w') : tensorArg();
      const opts = chance(0.7) ? L({ stride: pick([1, 2, [1, 2], 0]), padding: pick(['valid', 'same', 1, [0, 2], -1, 'x']), dilation: pick([1, 2, [2, 1]]) }, '{stride, padding, dilation}') : chance(0.5) ? L({ groups: pick([1, 2, 0, 1.5]), layout: pick(['NCHW', 'NHWC', 'x']) }, '{groups, layout}') : junk();
      return [x, w, opts];
    }),
    fn('conv1d', () => {
      const x = chance(0.8) ? ((t) => L(t, show(t)))(pick([tf.rand([1, 2, 7], { seed: 3 }), tf.ones([2, 1, 4]), ...pool])) : tensorArg();
      const c = x.v instanceof tf.Tensor && x.v.ndim === 3 ? x.v.shape[1] : 2;
      const w = chance(0.8) ? L(tf.ones([2, c, 1 + int(3)]), 'w') : tensorArg();
      const opts = chance(0.7) ? L({ stride: pick([1, 2, 0, 1.5]), padding: pick(['valid', 'same', 1, -1, 'x']), dilation: pick([1, 2]), layout: pick([undefined, 'NCL', 'NLC', 'x']) }, '{stride, padding, dilation, layout}') : junk();
      return [x, w, opts];
    }),
    ...['maxPool2d', 'avgPool2d'].map((name) => fn(name, () => [chance(0.7) ? ((t) => L(t, show(t)))(pick([tf.rand([1, 2, 4, 5], { seed: 2 }), ...pool])) : tensorArg(), chance(0.8) ? ((k) => L(k, show(k)))(pick([1, 2, 3, [2, 1], 0, 2 ** 16])) : numberArg(),
      chance(0.7) ? L({ stride: pick([undefined, 1, 2]), padding: pick(['valid', 'same', 1, 0]), countIncludePad: chance(0.5) }, '{stride, padding, countIncludePad}') : junk()])),
    fn('choice', () => [chance(0.5) ? L(1 + int(6), 'n') : chance(0.5) ? tensorArg() : numberArg(), chance(0.8) ? shapeArg() : numberArg(),
      chance(0.7) ? L({ seed: int(9), replace: chance(0.5), ...(chance(0.3) ? { p: pick([[0.25, 0.25, 0.5], [1, 0, 0, 0], [-1, 2], [0.5, 0.5]]) } : {}) }, '{seed, replace, p?}') : junk()]),
    method('eval', () => [optsArg(true)]),
    method('evalAsync', () => [optsArg(true)]),
    method('data', () => []), method('toArray', () => []), method('item', () => []),
    method('toString', () => []), method('toMatrix', () => []), method('dispose', () => []),
    method('toC', () => [chance(0.5) ? L(undefined, 'undefined') : chance(0.5) ? L({ fuse: chance(0.5) }, '{fuse}') : junk()]),
    method('explain', () => [chance(0.5) ? L(undefined, 'undefined') : junk()]),
    method('toDot', () => [chance(0.5) ? L(undefined, 'undefined') : junk()]),
    method('assign', (t) => [chance(0.4) ? ((x) => L(x, show(x)))(pick(pool.filter((x) => x.dtype === t.dtype)) ?? pick(pool)) : operandArg(t), chance(0.7) ? L(undefined, 'undefined') : optsArg(true)]),
    ...['shape', 'dtype', 'size', 'ndim', 'isRealized', 'isDisposed', 'T'].map((p) => method(p, () => [])),
    () => { const t = pick(pool); return [`inspect(${show(t)})`, () => inspect(t)]; },
    fn('tensor', () => {
      const shape = smallShape(), d = pick(DTYPES);
      const data = chance(0.5) ? L(nested(shape, d), `nested ${show(shape)}`) : chance(0.3) ? hostileArray(nested(shape.length ? shape : [2], d), pick([[1, 2, 3], 'x', circularArray()])) : chance(0.3) ? pick([
        () => L(new Float32Array(6), 'Float32Array(6)'), () => L(new Uint8Array([0, 1, 2]), 'Uint8Array[0,1,2]'), () => L(new Uint32Array(4), 'Uint32Array(4)'),
        () => L(detached(), 'detached Float64Array'), () => L([[1, 2], [3]], 'ragged'), () => L([1, [2]], 'mixed'),
        () => { let deep = [1]; for (let i = 0; i < 100 + int(30000); i++) deep = [deep]; return L(deep, 'deeply nested'); },
        () => L(new (class extends Float64Array { get length() { return 1e6; } })(3), 'Float64Array subclass lying about length'),
        () => L([1n, 2n], '[1n,2n]'), () => L([[1, 2], [3, Symbol('s')]], 'a Symbol inside'),
        () => L(new Proxy([[1, 2], [3, 4]], { get: (t, k) => (k === 'length' ? 2 : k === '1' ? [5] : Reflect.get(t, k)) }), 'Proxy whose row 1 is ragged'),
      ])() : junk();
      const size = shape.reduce((a, b) => a * b, 1);
      const opts = chance(0.5) ? L(undefined, 'undefined') : chance(0.1) ? L(Object.defineProperty({}, 'dtype', { get: userThrow('an options getter') }), '{get dtype() throws}') : chance(0.5) ? L({ dtype: dtypeArg().v }, '{dtype}') : chance(0.5) ? ((sh) => L({ shape: sh.v }, `{shape: ${sh.s}}`))(shapeArg(chance(0.5) ? [size] : [-1])) : junk();
      return [data, opts];
    }),
    ...['full', 'zeros', 'ones'].map((name) => fn(name, () => (name === 'full' ? [shapeArg(), numberArg(), chance(0.6) ? L(undefined, 'undefined') : dtypeArg()] : [shapeArg(), chance(0.6) ? L(undefined, 'undefined') : dtypeArg()]))),
    ...['zerosLike', 'onesLike'].map((name) => fn(name, () => [tensorArg(), chance(0.6) ? L(undefined, 'undefined') : dtypeArg()])),
    fn('arange', () => [numberArg(), chance(0.5) ? L(undefined, 'undefined') : numberArg(), chance(0.5) ? L(1, '1') : numberArg(), chance(0.7) ? L(undefined, 'undefined') : dtypeArg()]),
    fn('linspace', () => [numberArg(), numberArg(), chance(0.6) ? L(int(10), 'n') : numberArg(), chance(0.7) ? L(undefined, 'undefined') : dtypeArg()]),
    fn('eye', () => [chance(0.6) ? L(int(5), 'n') : numberArg(), chance(0.5) ? L(undefined, 'undefined') : numberArg(), chance(0.7) ? L(undefined, 'undefined') : dtypeArg()]),
    ...['rand', 'randn'].map((name) => fn(name, () => [shapeArg(), chance(0.4) ? L({ seed: int(9) }, '{seed}') : chance(0.5) ? L({ seed: numberArg().v, dtype: dtypeArg().v }, '{seed, dtype}') : junk()])),
    fn('where', () => { const t = pick(pool); return [chance(0.7) ? L(t, show(t)) : junk(), operandArg(t), operandArg(t)]; }),
    fn('concat', () => [chance(0.8) ? ((xs) => L(xs.map((x) => x.v), `[${xs.map((x) => x.s).join(', ')}]`))(sameShapeTensors()) : listOf(tensorArg), axisArg(2)]),
    fn('stack', () => [chance(0.8) ? ((xs) => L(xs.map((x) => x.v), `[${xs.map((x) => x.s).join(', ')}]`))(sameShapeTensors()) : listOf(tensorArg), axisArg(2, 1)]),
    fn('evalAll', () => Array.from({ length: int(3) }, () => (chance(0.8) ? ((x) => L(x, show(x)))(pick(pool)) : tensorArg()))),
    () => {
      const body = pick([
        () => L(() => pick(pool).add(1).mul(pick(pool)), 'fn making tensors'),
        () => L(() => [pick(pool).neg(), { a: pick(pool).abs() }], 'fn returning an array and an object'),
        () => L(userThrow('a tidy fn'), 'fn throwing'),
        () => L(async () => pick(pool), 'async fn'),
        () => junk(),
      ])();
      return [`tidy(${body.s})`, () => tf.tidy(body.v)];
    },
    () => {
      const body = pick([
        () => L((a, b) => (a instanceof tf.Tensor ? a.mul(2).add(b).relu() : userThrow('a jit fn given a number')()), '(a, b) => a.mul(2).add(b).relu()'),
        () => L((a) => (a instanceof tf.Tensor ? [a.neg(), a.sum()] : userThrow('a jit fn given a number')()), '(a) => [a.neg(), a.sum()]'),
        () => L(() => 5, '() => 5'),
        () => L(userThrow('a jit fn'), 'fn throwing'),
        () => junk(),
      ])();
      const opts = chance(0.6) ? L(undefined, 'undefined') : optsArg();
      const args = [operandArg(pick(pool)), operandArg(pick(pool))];
      return [`jit(${body.s}, ${opts.s})(${args.map((a) => a.s).join(', ')}) twice`, () => {
        const f = tf.jit(body.v, opts.v);
        const first = f(...args.map((a) => a.v));
        return [first, f(...args.map((a) => a.v))];
      }];
    },
    () => {
      const name = nameArg('fz_op'), spec = pick(OP_SPECS)();
      return [`defineOp(${name.s}, ${spec.s})`, () => { const f = tf.defineOp(name.v, spec.v); customOps.push([f, spec.v.arity]); return f; }];
    },
    () => {
      if (!customOps.length) return ['(no custom op yet)', () => undefined];
      const [f, arity] = pick(customOps);
      const t = pick(pool);
      const args = [L(t, show(t)), ...Array.from({ length: chance(0.9) ? arity - 1 : int(4) }, () => operandArg(t))];
      return [`${f.name}(${args.map((a) => a.s).join(', ')})`, () => f(...args.map((a) => a.v))];
    },
    () => {
      const name = nameArg('fz_k'), spec = pick(KERNEL_SPECS)();
      return [`defineKernel(${name.s}, ${spec.s})`, () => { const f = tf.defineKernel(name.v, spec.v); customKernels.push(f); return f; }];
    },
    () => {
      if (!customKernels.length) return ['(no custom kernel yet)', () => undefined];
      const f = pick(customKernels);
      const args = chance(0.9) ? [((x) => L(x, show(x)))(pick(pool))] : [tensorArg(), tensorArg()];
      return [`${f.name}(${args.map((a) => a.s).join(', ')})`, () => f(...args.map((a) => a.v))];
    },
    fn('fromMatrix', () => [chance(0.3) ? L(new Matrix([[1, 2], [3, 4]]), 'Matrix 2x2') : junk()]),
    fn('toMatrix', () => [tensorArg()]),
    () => {
      const settings = pick([
        () => L({ threads: pick([-1, 1.5, 2n, NaN, '2', 1, 0]) }, '{threads}'),
        () => L({ backend: pick(['gpu', 1n, null, 'ts', circularObject()]) }, '{backend}'),
        () => L({ debug: pick(['x', -1, 1n, 0]) }, '{debug}'),
        () => L({ cc: pick(['', '   ', 1n, 5, circularArray()]) }, '{cc}'),
        () => L({ cacheDir: pick(['', 5, null, Symbol('d')]) }, '{cacheDir}'),
        () => L({ profile: pick(['yes', 1, 1n, false]) }, '{profile}'),
        () => L({ compileTimeout: pick([0, -1, NaN, Infinity, 1n, 'x', circularArray(), 30]) }, '{compileTimeout}'),
        () => L({ nope: 1 }, '{nope}'),
        () => L(Object.defineProperty({}, 'threads', { get: ((n) => () => (n++ ? -1 : 2))(0), enumerable: true }), '{threads: 2 then -1}'),
        () => L(Object.defineProperty({}, 'threads', { get: userThrow('a settings getter'), enumerable: true }), '{get threads() throws}'),
        () => junk(),
      ])();
      return [`configure(${settings.s})`, () => {
        try {
          tf.configure(settings.v);
          const c = tf.config();
          if (!Number.isInteger(c.threads) || c.threads < 0 || (c.backend !== 'c' && c.backend !== 'ts')) throw new Error(`configure applied a bad setting: ${JSON.stringify({ threads: c.threads, backend: c.backend })}`);
        } finally {
          restoreConfig();
        }
      }];
    },
    fn('config', () => []), fn('stats', () => []),
    () => { const a = junk(); return [`new Tensor(${a.s})`, () => new tf.Tensor(a.v)]; },
  ];

  // ---- checking results ------------------------------------------------------------------------
  const queue = [];
  const checkTensor = (call, t) => {
    const s = t.shape;
    if (!Array.isArray(s) || s.length > 64 || !s.every((d) => Number.isInteger(d) && d >= 0) || !DTYPES.includes(t.dtype)) {
      fail(call, `returned a tensor with shape ${show(s)} dtype ${String(t.dtype)}`);
      return;
    }
    if (t.isDisposed) return;
    if (graphWork(t) > MAX_EVAL) { counts.skippedLarge++; return; }
    keep(t);
    if (!t.isRealized && chance(SAMPLE)) queue.push({ call, t });
  };
  /**
   * Elements over every node of the graph behind `t` (reading tensorfuse's internal `node`: this is a
   * test harness). A size-0 result can still stand on a 2^31-element iota, as `eye(0, 2 ** 31)` does.
   */
  const graphWork = (t) => {
    let work = 0;
    const seen = new Set();
    const stack = [t.node];
    while (stack.length) {
      const n = stack.pop();
      if (seen.has(n)) continue;
      seen.add(n);
      work += n.shape.reduce((a, b) => a * b, 1);
      if (work > MAX_EVAL || seen.size > 20_000) return Infinity;
      for (const s of n.src) stack.push(s);
    }
    return work;
  };
  /** The graph behind `t`, one node per line (debugging output only). */
  const dumpGraph = (t) => {
    const lines = [];
    const seen = new Map();
    const visit = (n) => {
      if (seen.has(n)) return seen.get(n);
      const srcs = n.src.map(visit);
      const id = `n${seen.size}`;
      seen.set(n, id);
      let data = '';
      try { if (n.data) data = ` data(${n.data.length})=[${Array.from(n.data).slice(0, 12).join(',')}]`; } catch { data = ' detached'; }
      lines.push(`${id} = ${n.op} ${n.dtype}[${n.shape.join(',')}] ${JSON.stringify(n.arg)} (${srcs.join(',')})${data}`);
      return id;
    };
    visit(t.node);
    return lines.join('\n');
  };
  const progress = (text) => { if (progressFile) writeFileSync(progressFile, text); };

  /** Evaluates on C in one evalAll; on failure, halves, to find which graphs fail. */
  const evalC = (items) => {
    counts.cBatches++;
    const start = Date.now();
    try {
      tf.evalAll(...items.map((i) => i.c));
      for (const i of items) i.cOut = { data: i.c.data() };
      counts.cMs += Date.now() - start;
    } catch (e) {
      counts.cMs += Date.now() - start;
      if (items.length === 1) items[0].cOut = { err: e };
      else { const h = items.length >> 1; evalC(items.slice(0, h)); evalC(items.slice(h)); }
    }
  };
  /**
   * Ints and bools exactly; floats (NaN equals NaN) within 1e-3 relative. That is loose on purpose: the
   * property tests hold each op to its ulps, while random chains here amplify a transcendental's last
   * bit (libm vs V8) without bound — `x mod y` of a large x turns 1 ulp of x into 1e-5 of the result.
   * Results within 1e-9 of each other also agree: a variance of equal values is 0 or 1e-32 depending
   * on the last bit of a mean. What this catches is the gross: garbage from a bad read, a wrong shape,
   * a wrong op.
   */
  const close = (a, b, dtype) => {
    if (Object.is(a, b) || (a !== a && b !== b)) return true;
    if (dtype === 'int32' || dtype === 'bool') return false;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
    return Math.abs(a - b) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;
  };
  let refusedSentToC = 0;
  /**
   * Evaluates the queued results on both backends. The reference goes first (it is fast): what it
   * evaluates goes to C in one evalAll batch; what it refuses, C must refuse too (checked one by one
   * for the first few, then in one batch, which must throw: compiles cost ~0.3 s each here).
   */
  const flush = () => {
    if (!queue.length) return;
    const items = [];
    for (const { call, t } of queue.splice(0)) {
      if (t.isRealized || t.isDisposed) continue;
      try {
        items.push({ call, t, c: t.contiguous(), ts: t.contiguous() });
      } catch (e) {
        classify(`${call} → .contiguous() before eval`, e);
      }
    }
    const tsStart = Date.now();
    for (const i of items) {
      progress(`eval on backend 'ts' of ${i.call}`);
      try { i.ts.eval({ backend: 'ts' }); i.tsOut = { data: i.ts.data() }; } catch (e) { i.tsOut = { err: e }; }
      // What cannot be evaluated (it reads a disposed or transferred buffer) leaves the pool, so
      // that the graphs built later mostly can.
      if (i.tsOut.err) { const k = pool.indexOf(i.t); if (k >= 0) pool[k] = fresh(); }
    }
    counts.tsMs += Date.now() - tsStart;
    const user = items.filter((i) => i.tsOut.err && isUser(i.tsOut.err));
    counts.userInEval += user.length;
    const good = items.filter((i) => !i.tsOut.err);
    const refused = items.filter((i) => i.tsOut.err && !isUser(i.tsOut.err));
    for (const i of refused) if (!(i.tsOut.err instanceof tf.TensorError)) fail(i.call, `eval on 'ts' threw ${errorText(i.tsOut.err)}`);
    const alone = refused.splice(0, Math.max(0, 5 - refusedSentToC));
    refusedSentToC += alone.length;
    refused.splice(8);
    tf.configure({ backend: 'c' });
    try {
      if (good.length) {
        progress(`evalAll on backend 'c' of:\n${good.map((i) => `  ${i.call}`).join('\n')}`);
        evalC(good);
      }
      for (const i of alone) {
        progress(`eval on backend 'c' of ${i.call} (refused by 'ts')`);
        evalC([i]);
      }
      if (refused.length) {
        progress(`evalAll on backend 'c' of (all refused by 'ts'):\n${refused.map((i) => `  ${i.call}`).join('\n')}`);
        counts.cBatches++;
        try {
          tf.evalAll(...refused.map((i) => i.c));
          counts.mismatches++;
          if (mismatches.length < 20) mismatches.push(`'c' evaluated a batch that 'ts' refused:\n${refused.map((i) => `  ${i.call}: ${i.tsOut.err.message.slice(0, 100)}`).join('\n')}`);
        } catch (e) {
          if (!(e instanceof tf.TensorError) && !isUser(e)) {
            // Which of them? One by one (a handful at most), so the report names the graph.
            let named = false;
            for (const i of refused) {
              try { tf.evalAll(i.c); } catch (e1) {
                if (!(e1 instanceof tf.TensorError) && !isUser(e1)) {
                  fail(i.call, `eval on 'c' threw ${errorText(e1)}`);
                  named = true;
                  if (process.env.FUZZ_DEBUG) process.stderr.write(`C FAILURE ${i.call}\n${dumpGraph(i.t)}\n`);
                }
              }
            }
            if (!named) fail(`evalAll of ${refused.length} graphs together (each alone is fine): ${refused.map((i) => i.call).join('; ')}`, `eval on 'c' threw ${errorText(e)}`);
          }
          counts.bothRefused += refused.length;
        }
      }
    } finally {
      restoreConfig();
    }
    for (const i of [...good, ...alone]) compare(i);
  };
  const compare = (i) => {
    const { cOut, tsOut } = i;
    if (cOut.err || tsOut.err) {
      for (const [b, e] of [['c', cOut.err], ['ts', tsOut.err]]) if (e && !(e instanceof tf.TensorError) && !isUser(e)) fail(i.call, `eval on '${b}' threw ${errorText(e)}`);
      if (cOut.err && tsOut.err) { counts.bothRefused++; return; }
      if (cOut.err && isUser(cOut.err)) { counts.userInEval++; return; }
      counts.mismatches++;
      if (mismatches.length < 20) mismatches.push(`${i.call}: only '${cOut.err ? 'c' : 'ts'}' threw ${errorText(cOut.err ?? tsOut.err)}`);
      return;
    }
    counts.compared++;
    const a = cOut.data, b = tsOut.data;
    const bad = a.length !== b.length ? -1 : a.findIndex((x, k) => !close(x, b[k], i.t.dtype));
    if (a.length !== b.length || bad >= 0) {
      counts.mismatches++;
      if (mismatches.length < 20) mismatches.push(`${i.call} (${i.t.dtype} [${i.t.shape.join(',')}]): c ${a.length} elements, ts ${b.length}; first difference at ${bad}: c ${show(a[bad])} ts ${show(b[bad])}`);
      if (process.env.FUZZ_DEBUG) process.stderr.write(`MISMATCH ${i.call}\n${dumpGraph(i.t)}\nc:  ${Array.from(a).join(', ')}\nts: ${Array.from(b).join(', ')}\n`);
    }
  };

  // ---- the loop ----------------------------------------------------------------------------------
  process.on('unhandledRejection', (e) => { if (!isUser(e) && !(e instanceof tf.TensorError)) fail('(an unhandled rejection)', errorText(e)); });
  for (let n = 0; n < maxCalls; n++) {
    if (Date.now() - t0 > timeMs) { counts.stoppedByTime = true; break; }
    let call = '(building arguments)';
    let result;
    try {
      const [desc, thunk] = pick(CALLS)();
      call = desc;
      progress(call);
      counts.calls++;
      result = thunk();
      if (result instanceof Promise) result = await result;
      counts.returned++;
    } catch (e) {
      classify(call, e);
      continue;
    }
    for (const r of Array.isArray(result) ? result : [result]) if (r instanceof tf.Tensor) checkTensor(call, r);
    if (queue.length >= BATCH) flush();
  }
  flush();
  if (process.env.FUZZ_MESSAGES) process.stderr.write(`${[...messages].sort().join('\n')}\n`);
  counts.directC = 6 - directC;
  const failures = [...failureKinds.values()].map(({ n, text }) => (n > 1 ? `(${n}×, first:) ${text}` : text));
  return { seed, ms: Date.now() - t0, counts, failures, mismatches };
}
