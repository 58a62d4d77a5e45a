/**
 * Literal known values for every elementwise op and elementwise composite, on every dtype, including
 * NaN, ±Inf, -0, denormals and the int32 edges. Expected values come from numpy 2.4 (the comment above
 * each row says how); where tensorfuse's documented semantics differ from numpy, the row says "by hand"
 * and why. Floats are compared with Object.is (NaN any payload); transcendental rows allow a few ulps
 * for libm differences.
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../src/index.js';
import { OPS, Tensor, tensor, where } from '../src/index.js';
import type { Input } from './helpers.js';
import { MATH_BINARY, MATH_UNARY } from './math-rows.js';
import { BOOL, F32, F64, I32, TS, expectValues, isInput, make, run, show, showInput } from './helpers.js';

type Arg = Input | number | boolean | string | null;
interface Row { op: string; args: readonly Arg[]; dtype: DType; out: readonly number[]; ulps?: number }

/** Calls the Tensor method `op` on the first argument, or the `where` function when asked. */
function apply(op: string, args: readonly Arg[]): Tensor {
  const xs = args.map((a) => (isInput(a) ? make(a) : a));
  if (op === 'where()') return where(xs[0] as Tensor, xs[1] as Tensor, xs[2] as Tensor);
  const self = xs[0] as unknown as Record<string, (...a: unknown[]) => Tensor>;
  return self[op](...xs.slice(1));
}

const label = (r: Row): string => `${r.op}(${r.args.map(showInput).join(', ')}) -> ${r.dtype}`;

function check(r: Row): void {
  const t = apply(r.op, r.args);
  expect(t.dtype, `dtype of ${label(r)}`).toBe(r.dtype);
  expectValues(run(t), r.out, label(r), { ulps: r.ulps, dtype: r.dtype });
}

const UNARY: Row[] = [
  // numpy: np.negative(x) on float64
  { op: 'neg', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [-0, 0, -1, 1, -0.5, 2.5, -2.5, -5e-324, -1e308, -Infinity, Infinity, NaN] },
  // numpy: np.negative(x) on float32
  { op: 'neg', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [-0, 0, -1, 1, -0.5, 2.5, -2.5, -1.401298464324817e-45, -3.4028234663852886e38, -Infinity, Infinity, NaN, -0.10000000149011612] },
  // numpy: np.negative(x) on int32
  { op: 'neg', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'int32', out: [0, -1, 1, -7, 7, -2147483647, -2147483648] },
  // numpy: np.abs(x) on float64
  { op: 'abs', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, 0, 1, 1, 0.5, 2.5, 2.5, 5e-324, 1e308, Infinity, Infinity, NaN] },
  // numpy: np.abs(x) on float32
  { op: 'abs', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, 0, 1, 1, 0.5, 2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, Infinity, NaN, 0.10000000149011612] },
  // numpy: np.abs(x) on int32
  { op: 'abs', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'int32', out: [0, 1, 1, 7, 7, 2147483647, -2147483648] },
  // numpy: np.abs(x) on bool
  { op: 'abs', args: [BOOL([false, true])], dtype: 'bool', out: [0, 1] },
  // numpy: np.sqrt(x) on float64
  { op: 'sqrt', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1, NaN, 0.7071067811865476, NaN, 1.5811388300841898, 2.2227587494850775e-162, 1e154, Infinity, NaN, NaN] },
  // numpy: np.sqrt(x) on float32
  { op: 'sqrt', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1, NaN, 0.7071067690849304, NaN, 1.5811388492584229, 3.743392066509216e-23, 1.8446742974197924e19, Infinity, NaN, NaN, 0.3162277638912201] },
  // numpy: np.sqrt(x) on int32 (x as float64: ints and bools compute in float64)
  { op: 'sqrt', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 1, NaN, 2.6457513110645907, NaN, 46340.950001051984, NaN] },
  // numpy: np.sqrt(x) on bool (x as float64: ints and bools compute in float64)
  { op: 'sqrt', args: [BOOL([false, true])], dtype: 'float64', out: [0, 1] },
  // numpy: np.exp(x) on float64
  { op: 'exp', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [1, 1, 2.718281828459045, 0.36787944117144233, 1.6487212707001282, 0.0820849986238988, 12.182493960703473, 1, Infinity, Infinity, 0, NaN], ulps: 2 },
  // numpy: np.exp(x) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'exp', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [1, 1, 2.7182817459106445, 0.3678794503211975, 1.6487212181091309, 0.08208499848842621, 12.182494163513184, 1, Infinity, Infinity, 0, NaN, 1.1051709651947021], ulps: 1 },
  // numpy: np.exp(x) on int32 (x as float64: ints and bools compute in float64)
  { op: 'exp', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [1, 2.718281828459045, 0.36787944117144233, 1096.6331584284585, 0.0009118819655545162, Infinity, 0], ulps: 2 },
  // numpy: np.exp(x) on bool (x as float64: ints and bools compute in float64)
  { op: 'exp', args: [BOOL([false, true])], dtype: 'float64', out: [1, 2.718281828459045], ulps: 2 },
  // numpy: np.log(x) on float64
  { op: 'log', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [-Infinity, -Infinity, 0, NaN, -0.6931471805599453, NaN, 0.9162907318741551, -744.4400719213812, 709.1962086421661, Infinity, NaN, NaN], ulps: 2 },
  // numpy: np.log(x) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'log', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [-Infinity, -Infinity, 0, NaN, -0.6931471824645996, NaN, 0.9162907600402832, -103.2789306640625, 88.72283935546875, Infinity, NaN, NaN, -2.3025851249694824], ulps: 1 },
  // numpy: np.log(x) on int32 (x as float64: ints and bools compute in float64)
  { op: 'log', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [-Infinity, 0, NaN, 1.9459101490553132, NaN, 21.487562596892644, NaN], ulps: 2 },
  // numpy: np.log(x) on bool (x as float64: ints and bools compute in float64)
  { op: 'log', args: [BOOL([false, true])], dtype: 'float64', out: [-Infinity, 0], ulps: 2 },
  // numpy: np.log1p(x) on float64
  { op: 'log1p', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 0.6931471805599453, -Infinity, 0.4054651081081644, NaN, 1.252762968495368, 5e-324, 709.1962086421661, Infinity, NaN, NaN], ulps: 2 },
  // numpy: np.log1p(x) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'log1p', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 0.6931471824645996, -Infinity, 0.40546509623527527, NaN, 1.2527629137039185, 1.401298464324817e-45, 88.72283935546875, Infinity, NaN, NaN, 0.09531018137931824], ulps: 1 },
  // numpy: np.log1p(x) on int32 (x as float64: ints and bools compute in float64)
  { op: 'log1p', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 0.6931471805599453, -Infinity, 2.0794415416798357, NaN, 21.487562597358306, NaN], ulps: 2 },
  // numpy: np.log1p(x) on bool (x as float64: ints and bools compute in float64)
  { op: 'log1p', args: [BOOL([false, true])], dtype: 'float64', out: [0, 0.6931471805599453], ulps: 2 },
  // numpy: np.expm1(x) on float64
  { op: 'expm1', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1.7182818284590453, -0.6321205588285577, 0.6487212707001282, -0.9179150013761012, 11.182493960703473, 5e-324, Infinity, Infinity, -1, NaN], ulps: 2 },
  // numpy: np.expm1(x) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'expm1', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1.718281865119934, -0.6321205496788025, 0.6487212777137756, -0.9179149866104126, 11.182494163513184, 1.401298464324817e-45, Infinity, Infinity, -1, NaN, 0.10517092049121857], ulps: 1 },
  // numpy: np.expm1(x) on int32 (x as float64: ints and bools compute in float64)
  { op: 'expm1', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 1.7182818284590453, -0.6321205588285577, 1095.6331584284585, -0.9990881180344455, Infinity, -1], ulps: 2 },
  // numpy: np.expm1(x) on bool (x as float64: ints and bools compute in float64)
  { op: 'expm1', args: [BOOL([false, true])], dtype: 'float64', out: [0, 1.7182818284590453], ulps: 2 },
  // numpy: np.sin(x) on float64
  { op: 'sin', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 0.8414709848078965, -0.8414709848078965, 0.479425538604203, -0.5984721441039565, 0.5984721441039565, 5e-324, 0.4533964905016491, NaN, NaN, NaN], ulps: 2 },
  // numpy: np.sin(x) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'sin', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 0.8414709568023682, -0.8414709568023682, 0.4794255495071411, -0.5984721183776855, 0.5984721183776855, 1.401298464324817e-45, -0.5218765139579773, NaN, NaN, NaN, 0.0998334214091301], ulps: 1 },
  // numpy: np.sin(x) on int32 (x as float64: ints and bools compute in float64)
  { op: 'sin', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 0.8414709848078965, -0.8414709848078965, 0.6569865987187891, -0.6569865987187891, -0.7249165551445564, 0.9713101757929392], ulps: 2 },
  // numpy: np.sin(x) on bool (x as float64: ints and bools compute in float64)
  { op: 'sin', args: [BOOL([false, true])], dtype: 'float64', out: [0, 0.8414709848078965], ulps: 2 },
  // numpy: np.cos(x) on float64
  { op: 'cos', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [1, 1, 0.5403023058681398, 0.5403023058681398, 0.8775825618903728, -0.8011436155469337, -0.8011436155469337, 1, -0.8913089376870335, NaN, NaN, NaN], ulps: 2 },
  // numpy: np.cos(x) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'cos', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [1, 1, 0.5403022766113281, 0.5403022766113281, 0.8775825500488281, -0.8011435866355896, -0.8011435866355896, 1, 0.8530210256576538, NaN, NaN, NaN, 0.9950041770935059], ulps: 1 },
  // numpy: np.cos(x) on int32 (x as float64: ints and bools compute in float64)
  { op: 'cos', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [1, 0.5403023058681398, 0.5403023058681398, 0.7539022543433046, 0.7539022543433046, -0.6888366918779438, 0.23781619457280337], ulps: 2 },
  // numpy: np.cos(x) on bool (x as float64: ints and bools compute in float64)
  { op: 'cos', args: [BOOL([false, true])], dtype: 'float64', out: [1, 0.5403023058681398], ulps: 2 },
  // numpy: np.tan(x) on float64
  { op: 'tan', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1.5574077246549023, -1.5574077246549023, 0.5463024898437905, 0.7470222972386603, -0.7470222972386603, 5e-324, -0.5086861259107568, NaN, NaN, NaN], ulps: 2 },
  // numpy: np.tan(x) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'tan', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1.5574077367782593, -1.5574077367782593, 0.5463024973869324, 0.747022271156311, -0.747022271156311, 1.401298464324817e-45, -0.6117979288101196, NaN, NaN, NaN, 0.10033467411994934], ulps: 1 },
  // numpy: np.tan(x) on int32 (x as float64: ints and bools compute in float64)
  { op: 'tan', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 1.5574077246549023, -1.5574077246549023, 0.8714479827243188, -0.8714479827243188, 1.0523779637351338, 4.084289455298593], ulps: 2 },
  // numpy: np.tan(x) on bool (x as float64: ints and bools compute in float64)
  { op: 'tan', args: [BOOL([false, true])], dtype: 'float64', out: [0, 1.5574077246549023], ulps: 2 },
  // numpy: np.tanh(x) on float64
  { op: 'tanh', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 0.7615941559557649, -0.7615941559557649, 0.46211715726000974, -0.9866142981514303, 0.9866142981514303, 5e-324, 1, 1, -1, NaN], ulps: 2 },
  // numpy: np.tanh(x) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'tanh', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 0.7615941762924194, -0.7615941762924194, 0.46211716532707214, -0.9866142868995667, 0.9866142868995667, 1.401298464324817e-45, 1, 1, -1, NaN, 0.0996679961681366], ulps: 1 },
  // numpy: np.tanh(x) on int32 (x as float64: ints and bools compute in float64)
  { op: 'tanh', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 0.7615941559557649, -0.7615941559557649, 0.9999983369439447, -0.9999983369439447, 1, -1], ulps: 2 },
  // numpy: np.tanh(x) on bool (x as float64: ints and bools compute in float64)
  { op: 'tanh', args: [BOOL([false, true])], dtype: 'float64', out: [0, 0.7615941559557649], ulps: 2 },
  // numpy: 1 / (1 + np.exp(-x)) on float64
  { op: 'sigmoid', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0.5, 0.5, 0.7310585786300049, 0.2689414213699951, 0.6224593312018546, 0.07585818002124355, 0.9241418199787566, 0.5, 1, 1, 0, NaN], ulps: 2 },
  // numpy: 1 / (1 + np.exp(-x)) on float32 (exp in float64 rounded to float32, then float32 add and divide: rounded per op)
  { op: 'sigmoid', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0.5, 0.5, 0.7310585975646973, 0.2689414322376251, 0.622459352016449, 0.07585817575454712, 0.9241418242454529, 0.5, 1, 1, 0, NaN, 0.5249791741371155], ulps: 1 },
  // numpy: 1 / (1 + np.exp(-x)) on int32 (x as float64: ints and bools compute in float64)
  { op: 'sigmoid', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0.5, 0.7310585786300049, 0.2689414213699951, 0.9990889488055994, 0.0009110511944006454, 1, 0], ulps: 2 },
  // numpy: 1 / (1 + np.exp(-x)) on bool (x as float64: ints and bools compute in float64)
  { op: 'sigmoid', args: [BOOL([false, true])], dtype: 'float64', out: [0.5, 0.7310585786300049], ulps: 2 },
  // numpy: np.maximum(x, 0) on float64
  { op: 'relu', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, 0, 1, 0, 0.5, 0, 2.5, 5e-324, 1e308, Infinity, 0, NaN] },
  // numpy: np.maximum(x, 0) on float32
  { op: 'relu', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, 0, 1, 0, 0.5, 0, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, 0, NaN, 0.10000000149011612] },
  // numpy: np.maximum(x, 0) on int32
  { op: 'relu', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'int32', out: [0, 1, 0, 7, 0, 2147483647, 0] },
  // by hand: relu of a bool is the identity (bools are already >= 0), so the dtype stays bool
  { op: 'relu', args: [BOOL([false, true])], dtype: 'bool', out: [0, 1] },
  // numpy: np.floor(x) on float64
  { op: 'floor', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1, -1, 0, -3, 2, 0, 1e308, Infinity, -Infinity, NaN] },
  // numpy: np.floor(x) on float32
  { op: 'floor', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1, -1, 0, -3, 2, 0, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0] },
  // numpy: np.floor(x) on int32
  { op: 'floor', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'int32', out: [0, 1, -1, 7, -7, 2147483647, -2147483648] },
  // numpy: np.floor(x) on bool (bool computes as int32)
  { op: 'floor', args: [BOOL([false, true])], dtype: 'int32', out: [0, 1] },
  // numpy: np.ceil(x) on float64
  { op: 'ceil', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1, -1, 1, -2, 3, 1, 1e308, Infinity, -Infinity, NaN] },
  // numpy: np.ceil(x) on float32
  { op: 'ceil', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1, -1, 1, -2, 3, 1, 3.4028234663852886e38, Infinity, -Infinity, NaN, 1] },
  // numpy: np.ceil(x) on int32
  { op: 'ceil', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'int32', out: [0, 1, -1, 7, -7, 2147483647, -2147483648] },
  // numpy: np.ceil(x) on bool (bool computes as int32)
  { op: 'ceil', args: [BOOL([false, true])], dtype: 'int32', out: [0, 1] },
  // numpy: np.round(x) on float64
  { op: 'round', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1, -1, 0, -2, 2, 0, 1e308, Infinity, -Infinity, NaN] },
  // numpy: np.round(x) on float32
  { op: 'round', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1, -1, 0, -2, 2, 0, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0] },
  // numpy: np.round(x) on int32
  { op: 'round', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'int32', out: [0, 1, -1, 7, -7, 2147483647, -2147483648] },
  // numpy: np.round(x) on bool (bool computes as int32)
  { op: 'round', args: [BOOL([false, true])], dtype: 'int32', out: [0, 1] },
  // numpy: np.sign(x) on float64
  { op: 'sign', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, 0, 1, -1, 1, -1, 1, 1, 1, 1, -1, NaN] },
  // numpy: np.sign(x) on float32
  { op: 'sign', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, 0, 1, -1, 1, -1, 1, 1, 1, 1, -1, NaN, 1] },
  // numpy: np.sign(x) on int32
  { op: 'sign', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'int32', out: [0, 1, -1, 1, -1, 1, -1] },
  // numpy: np.sign(x) on bool (bool computes as int32)
  { op: 'sign', args: [BOOL([false, true])], dtype: 'int32', out: [0, 1] },
  // numpy: 1 / x on float64
  { op: 'reciprocal', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [Infinity, -Infinity, 1, -1, 2, -0.4, 0.4, Infinity, 1e-308, 0, -0, NaN] },
  // numpy: 1 / x on float32
  { op: 'reciprocal', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [Infinity, -Infinity, 1, -1, 2, -0.4000000059604645, 0.4000000059604645, Infinity, 2.938735877055719e-39, 0, -0, NaN, 10] },
  // numpy: 1 / x on int32 (x as float64: ints and bools compute in float64)
  { op: 'reciprocal', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [Infinity, 1, -1, 0.14285714285714285, -0.14285714285714285, 4.656612875245797e-10, -4.656612873077393e-10] },
  // numpy: 1 / x on bool (x as float64: ints and bools compute in float64)
  { op: 'reciprocal', args: [BOOL([false, true])], dtype: 'float64', out: [Infinity, 1] },
  // numpy: x * x on float64
  { op: 'square', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, 0, 1, 1, 0.25, 6.25, 6.25, 0, Infinity, Infinity, Infinity, NaN] },
  // numpy: x * x on float32
  { op: 'square', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, 0, 1, 1, 0.25, 6.25, 6.25, 0, Infinity, Infinity, Infinity, NaN, 0.010000000707805157] },
  // numpy: x * x on int32
  { op: 'square', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'int32', out: [0, 1, 1, 49, 49, 1, 0] },
  // numpy: x * x on bool (bool mul is logical and)
  { op: 'square', args: [BOOL([false, true])], dtype: 'bool', out: [0, 1] },
];

const BINARY: Row[] = [
  // ---- float64
  // numpy: np.add(a, b), float64
  { op: 'add', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, 0, 0, -0, NaN, 1, NaN, -Infinity, Infinity, 1e-323, 1e308, -4, 4, 0.30000000000000004, -1.5, 3, -7.666666666666667, 2.5] },
  // numpy: np.subtract(a, b), float64
  { op: 'sub', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, -0, 0, 0, NaN, 1, Infinity, NaN, Infinity, 0, 1e308, -10, 10, -0.1, 2.5, 3, -8.333333333333334, 1.5] },
  // numpy: np.multiply(a, b), float64
  { op: 'mul', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, -0, -0, 0, NaN, 0, -Infinity, Infinity, Infinity, 0, Infinity, -21, -21, 0.020000000000000004, -1, 0, -2.6666666666666665, 1] },
  // numpy: np.divide(a, b), float64
  { op: 'div', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, NaN, NaN, NaN, NaN, Infinity, NaN, NaN, Infinity, 1, 1e307, -2.3333333333333335, -2.3333333333333335, 0.5, -0.25, Infinity, -24, 4] },
  // numpy: np.maximum(a, b), float64; ±0 ties by hand: IEEE 754-2019 maximum (+0) where numpy returns its 2nd operand
  { op: 'maximum', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, 0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, 3, 7, 0.2, 0.5, 3, 0.3333333333333333, 2] },
  // numpy: np.minimum(a, b), float64; ±0 ties by hand: IEEE 754-2019 minimum (-0) where numpy returns its 2nd operand
  { op: 'minimum', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, -0, -0, -0, NaN, 0, -Infinity, -Infinity, 2, 5e-324, 10, -7, -3, 0.1, -2, 0, -8, 0.5] },
  // numpy: np.remainder(a, b), float64
  { op: 'mod', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 0, 6, 2, -2, 0.1, -1.5, NaN, 0.33333333333333287, 0] },
  // numpy: np.less(a, b), float64
  { op: 'lt', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'bool', out: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0] },
  // numpy: np.less_equal(a, b), float64
  { op: 'le', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'bool', out: [0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0] },
  // numpy: np.greater(a, b), float64
  { op: 'gt', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'bool', out: [0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1] },
  // numpy: np.greater_equal(a, b), float64
  { op: 'ge', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'bool', out: [0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1] },
  // numpy: np.equal(a, b), float64
  { op: 'eq', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'bool', out: [0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0] },
  // numpy: np.not_equal(a, b), float64
  { op: 'ne', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'bool', out: [1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1] },
  // numpy: np.power(a, b), float64 (C pow special cases)
  { op: 'pow', args: [F64([NaN, 1, -1, 0, -0, -0, -8, 2, 2, 0.5, -2, Infinity, -Infinity, 2, 10]), F64([0, NaN, Infinity, -1, -1, -2, 0.3333333333333333, 0.5, -1074, -Infinity, 3, -1, 3, 10, -2])], dtype: 'float64', out: [1, 1, 1, Infinity, -Infinity, Infinity, NaN, 1.4142135623730951, 5e-324, Infinity, -8, 0, -Infinity, 1024, 0.01], ulps: 1 },
  // numpy: np.mod(a, b), float64 (floored, sign of the divisor)
  { op: 'mod', args: [F64([5, -5, Infinity, 5, -0, 0, 5, -1e-20, 7.5, -7.5, 7.5, -7.5, NaN, 5, 1e308]), F64([Infinity, Infinity, 3, 0, 3, -3, -Infinity, 1, 2, 2, -2, -2, 1, NaN, 1e-308])], dtype: 'float64', out: [5, Infinity, NaN, NaN, 0, -0, -Infinity, 1, 1.5, 0.5, -0.5, -1.5, NaN, NaN, 3.498445546245627e-309] },
  // ---- float32 (every result rounded to float32)
  // numpy: np.add(a, b), float32
  { op: 'add', args: [F32([0.10000000149011612, 16777216, 9.999999680285692e37, 1, 2, -0, 0.10000000149011612, 7.5, 3, 1.401298464324817e-45, 0.30000001192092896]), F32([0.20000000298023224, 1, 10, 3, 0.5, 0, 3, -2, 7, 0.5, 0.10000000149011612])], dtype: 'float32', out: [0.30000001192092896, 16777216, 9.999999680285692e37, 4, 2.5, 0, 3.0999999046325684, 5.5, 10, 0.5, 0.4000000059604645] },
  // numpy: np.subtract(a, b), float32
  { op: 'sub', args: [F32([0.10000000149011612, 16777216, 9.999999680285692e37, 1, 2, -0, 0.10000000149011612, 7.5, 3, 1.401298464324817e-45, 0.30000001192092896]), F32([0.20000000298023224, 1, 10, 3, 0.5, 0, 3, -2, 7, 0.5, 0.10000000149011612])], dtype: 'float32', out: [-0.10000000149011612, 16777215, 9.999999680285692e37, -2, 1.5, -0, -2.9000000953674316, 9.5, -4, -0.5, 0.20000001788139343] },
  // numpy: np.multiply(a, b), float32
  { op: 'mul', args: [F32([0.10000000149011612, 16777216, 9.999999680285692e37, 1, 2, -0, 0.10000000149011612, 7.5, 3, 1.401298464324817e-45, 0.30000001192092896]), F32([0.20000000298023224, 1, 10, 3, 0.5, 0, 3, -2, 7, 0.5, 0.10000000149011612])], dtype: 'float32', out: [0.020000001415610313, 16777216, Infinity, 3, 1, -0, 0.30000001192092896, -15, 21, 0, 0.030000001192092896] },
  // numpy: np.divide(a, b), float32
  { op: 'div', args: [F32([0.10000000149011612, 16777216, 9.999999680285692e37, 1, 2, -0, 0.10000000149011612, 7.5, 3, 1.401298464324817e-45, 0.30000001192092896]), F32([0.20000000298023224, 1, 10, 3, 0.5, 0, 3, -2, 7, 0.5, 0.10000000149011612])], dtype: 'float32', out: [0.5, 16777216, 9.999999933815813e36, 0.3333333432674408, 4, NaN, 0.03333333507180214, -3.75, 0.4285714328289032, 2.802596928649634e-45, 3] },
  // numpy: np.maximum(a, b), float32
  { op: 'maximum', args: [F32([0.10000000149011612, 16777216, 9.999999680285692e37, 1, 2, -0, 0.10000000149011612, 7.5, 3, 1.401298464324817e-45, 0.30000001192092896]), F32([0.20000000298023224, 1, 10, 3, 0.5, 0, 3, -2, 7, 0.5, 0.10000000149011612])], dtype: 'float32', out: [0.20000000298023224, 16777216, 9.999999680285692e37, 3, 2, 0, 3, 7.5, 7, 0.5, 0.30000001192092896] },
  // numpy: np.minimum(a, b), float32; ±0 ties by hand: IEEE 754-2019 minimum, where numpy returns its 2nd operand
  { op: 'minimum', args: [F32([0.10000000149011612, 16777216, 9.999999680285692e37, 1, 2, -0, 0.10000000149011612, 7.5, 3, 1.401298464324817e-45, 0.30000001192092896]), F32([0.20000000298023224, 1, 10, 3, 0.5, 0, 3, -2, 7, 0.5, 0.10000000149011612])], dtype: 'float32', out: [0.10000000149011612, 1, 10, 1, 0.5, -0, 0.10000000149011612, -2, 3, 1.401298464324817e-45, 0.10000000149011612] },
  // numpy: np.remainder(a, b), float32
  { op: 'mod', args: [F32([0.10000000149011612, 16777216, 9.999999680285692e37, 1, 2, -0, 0.10000000149011612, 7.5, 3, 1.401298464324817e-45, 0.30000001192092896]), F32([0.20000000298023224, 1, 10, 3, 0.5, 0, 3, -2, 7, 0.5, 0.10000000149011612])], dtype: 'float32', out: [0.10000000149011612, 0, 8, 1, 0, NaN, 0.10000000149011612, -0.5, 3, 1.401298464324817e-45, 7.450580596923828e-09] },
  // numpy: np.power(a, b) in float64 rounded to float32 (the reference rounds the double result)
  { op: 'pow', args: [F32([0.10000000149011612, 16777216, 9.999999680285692e37, 1, 2, -0, 0.10000000149011612, 7.5, 3, 1.401298464324817e-45, 0.30000001192092896]), F32([0.20000000298023224, 1, 10, 3, 0.5, 0, 3, -2, 7, 0.5, 0.10000000149011612])], dtype: 'float32', out: [0.6309573650360107, 16777216, Infinity, 1, 1.4142135381698608, 1, 0.0010000000474974513, 0.017777778208255768, 2187, 3.743392066509216e-23, 0.8865681290626526], ulps: 1 },
  // ---- int32 (wrapping two's complement)
  // numpy: np.add(a, b), int32
  { op: 'add', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'int32', out: [-2147483648, 2147483647, -2147483647, -4, 4, -10, 10, 0, 5, 92682, 5, -1, -2147483648] },
  // numpy: np.subtract(a, b), int32
  { op: 'sub', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'int32', out: [2147483646, -2147483647, 2147483647, -10, 10, -4, 4, 0, 5, 0, 1, -5, -2147483648] },
  // numpy: np.multiply(a, b), int32
  { op: 'mul', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'int32', out: [2147483647, -2147483648, -2147483648, -21, -21, 21, 21, 0, 0, -2147479015, 6, -6, 0] },
  // numpy: np.divide(a, b), int32
  { op: 'div', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'float64', out: [2147483647, 2147483648, -2147483648, -2.3333333333333335, -2.3333333333333335, 2.3333333333333335, 2.3333333333333335, NaN, Infinity, 1, 1.5, -1.5, -Infinity] },
  // numpy: np.maximum(a, b), int32
  { op: 'maximum', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'int32', out: [2147483647, -1, 1, 3, 7, -3, 7, 0, 5, 46341, 3, 2, 0] },
  // numpy: np.minimum(a, b), int32
  { op: 'minimum', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'int32', out: [1, -2147483648, -2147483648, -7, -3, -7, 3, 0, 0, 46341, 2, -3, -2147483648] },
  // numpy: np.remainder(a, b), int32 (x mod 0 is 0, as numpy)
  { op: 'mod', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'int32', out: [0, 0, 0, 2, -2, -1, 1, 0, 0, 0, 1, 1, 0] },
  // numpy: np.less(a, b), int32
  { op: 'lt', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'bool', out: [0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1] },
  // numpy: np.less_equal(a, b), int32
  { op: 'le', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'bool', out: [0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1] },
  // numpy: np.greater(a, b), int32
  { op: 'gt', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'bool', out: [1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0] },
  // numpy: np.greater_equal(a, b), int32
  { op: 'ge', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'bool', out: [1, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0, 0] },
  // numpy: np.equal(a, b), int32
  { op: 'eq', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'bool', out: [0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0] },
  // numpy: np.not_equal(a, b), int32
  { op: 'ne', args: [I32([2147483647, -2147483648, -2147483648, -7, 7, -7, 7, 0, 5, 46341, 3, -3, -2147483648]), I32([1, -1, 1, 3, -3, -3, 3, 0, 0, 46341, 2, 2, 0])], dtype: 'bool', out: [1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1] },
  // numpy: np.power(a, b), int32 (wraps)
  { op: 'pow', args: [I32([3, 2, -2, 0, 7, 46341, -1, 1, -3, 2]), I32([20, 31, 31, 0, 0, 2, 3, 100, 3, 30])], dtype: 'int32', out: [-808182895, -2147483648, -2147483648, 1, 1, -2147479015, -1, 1, -27, 1073741824] },
  // by hand: numpy refuses negative integer powers; 1/x^n truncates to 0 unless |x| = 1 (documented)
  { op: 'pow', args: [I32([2, 0, -1, -1, 1, 5, -5]), I32([-1, -1, -3, -2, -7, -2, -1])], dtype: 'int32', out: [0, 0, -1, 1, 1, 0, 0] },
  // ---- bool
  // numpy: np.add(a, b), bool (logical or)
  { op: 'add', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [0, 1, 1, 1] },
  // numpy: np.multiply(a, b), bool (logical and)
  { op: 'mul', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [0, 0, 0, 1] },
  // numpy: np.maximum(a, b), bool
  { op: 'maximum', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [0, 1, 1, 1] },
  // numpy: np.minimum(a, b), bool
  { op: 'minimum', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [0, 0, 0, 1] },
  // numpy: np.divide(a, b), bool
  { op: 'div', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'float64', out: [NaN, 0, Infinity, 1] },
  // numpy: np.less(a, b), bool
  { op: 'lt', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [0, 1, 0, 0] },
  // numpy: np.less_equal(a, b), bool
  { op: 'le', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [1, 1, 0, 1] },
  // numpy: np.greater(a, b), bool
  { op: 'gt', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [0, 0, 1, 0] },
  // numpy: np.greater_equal(a, b), bool
  { op: 'ge', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [1, 0, 1, 1] },
  // numpy: np.equal(a, b), bool
  { op: 'eq', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [1, 0, 0, 1] },
  // numpy: np.not_equal(a, b), bool
  { op: 'ne', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [0, 1, 1, 0] },
  // numpy: np.logical_and(a, b), bool
  { op: 'and', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [0, 0, 0, 1] },
  // numpy: np.logical_or(a, b), bool
  { op: 'or', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'bool', out: [0, 1, 1, 1] },
  // numpy: np.power(a.astype(int32), b.astype(int32)) (bool pow computes as int32)
  { op: 'pow', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'int32', out: [1, 0, 1, 1] },
  // numpy: np.mod(a.astype(int32), b.astype(int32)) (bool mod computes as int32; x mod 0 is 0)
  { op: 'mod', args: [BOOL([false, false, true, true]), BOOL([false, true, false, true])], dtype: 'int32', out: [0, 0, 0, 0] },
  // ---- logic on non-bool operands: nonzero is true, NaN is true
  // numpy: np.logical_and(a, b), float64
  { op: 'and', args: [F64([0, NaN, -0, 2, Infinity, 5e-324]), F64([1, 1, 1, 0, -0, 1])], dtype: 'bool', out: [0, 1, 0, 0, 0, 1] },
  // numpy: np.logical_or(a, b), float64
  { op: 'or', args: [F64([0, NaN, -0, 2, Infinity, 5e-324]), F64([1, 1, 1, 0, -0, 1])], dtype: 'bool', out: [1, 1, 1, 1, 1, 1] },
  // numpy: np.logical_and(a, b), int32
  { op: 'and', args: [I32([0, -2147483648, 3]), I32([1, 0, -1])], dtype: 'bool', out: [0, 0, 1] },
  // numpy: np.logical_or(a, b), int32
  { op: 'or', args: [I32([0, -2147483648, 3]), I32([1, 0, -1])], dtype: 'bool', out: [1, 1, 1] },
];

/** Logic, selection, composites, casts and weak JS scalars. */
const OTHER: Row[] = [
  // numpy: np.logical_not(x) (NaN is true)
  { op: 'not', args: [F64([0, NaN, -0, 2, 5e-324])], dtype: 'bool', out: [1, 0, 1, 0, 0] },
  // numpy: np.logical_not(x), int32
  { op: 'not', args: [I32([0, -2147483648, 1])], dtype: 'bool', out: [1, 0, 0] },
  // numpy: np.logical_not(x), bool
  { op: 'not', args: [BOOL([false, true])], dtype: 'bool', out: [1, 0] },
  // numpy: np.where(c, a, b) with a float64 condition (nonzero is true, NaN is true, -0 is false)
  { op: 'where', args: [F64([0, NaN, -0, 2, 5e-324]), F64([1, 2, 3, 4, 5]), F64([-1, -2, -3, -4, -5])], dtype: 'float64', out: [-1, 2, -3, 4, 5] },
  { op: 'where()', args: [F64([0, NaN, -0, 2, 5e-324]), F64([1, 2, 3, 4, 5]), F64([-1, -2, -3, -4, -5])], dtype: 'float64', out: [-1, 2, -3, 4, 5] },
  // numpy: np.where(c, a.astype(float32), b); by hand the dtype: int32 with float32 is float32 here (numpy: float64)
  { op: 'where', args: [BOOL([true, false, true]), I32([1, 2, 3]), F32([0.5, -0, NaN])], dtype: 'float32', out: [1, -0, 3] },
  // numpy: np.where(c, a, b) with JS-number branches; by hand the dtype: JS numbers are float64 (numpy: int64)
  { op: 'where', args: [I32([0, 7, -1]), 1, 0], dtype: 'float64', out: [0, 1, 1] },
  // numpy: np.where(c, a, -1.0) with broadcasting [2,1] x [3] x []
  { op: 'where()', args: [BOOL([[true], [false]]), F64([1, 2, 3]), -1], dtype: 'float64', out: [1, 2, 3, -1, -1, -1] },
  // numpy: np.clip(x, -1, 1) (NaN propagates)
  { op: 'clip', args: [F64([-2, -0, 0.5, 3, NaN, Infinity, -Infinity]), -1, 1], dtype: 'float64', out: [-1, -0, 0.5, 1, NaN, 1, -1] },
  // numpy: np.clip(x, 0, None)
  { op: 'clip', args: [F64([-2, -0, 0.5, 3, NaN, Infinity, -Infinity]), 0, null], dtype: 'float64', out: [0, 0, 0.5, 3, NaN, Infinity, 0] },
  // numpy: np.clip(x, None, 0); by hand x = -0 gives -0 (IEEE minimum; numpy returns its 2nd operand, 0)
  { op: 'clip', args: [F64([-2, -0, 0.5, 3, NaN, Infinity, -Infinity]), null, 0], dtype: 'float64', out: [-2, -0, 0, 0, NaN, 0, -Infinity] },
  // numpy: np.clip(x, -1, 1), int32 stays int32
  { op: 'clip', args: [I32([-5, 0, 5, 2147483647]), -1, 1], dtype: 'int32', out: [-1, 0, 1, 1] },
  // numpy: np.clip(x, -1.5, 1.5), int32 with float bounds is float64
  { op: 'clip', args: [I32([-5, 0, 5, 2147483647]), -1.5, 1.5], dtype: 'float64', out: [-1.5, 0, 1.5, 1.5] },
  // numpy: y + np.float32(3) * x, float32 (rounded per op; -0 + 0 is 0; overflow is inf)
  { op: 'axpy', args: [F32([1, 0.10000000149011612, -0, 3e38]), F32([0.20000000298023224, 0.30000001192092896, 0, 1e38]), 3], dtype: 'float32', out: [1.600000023841858, 1, 0, Infinity] },
  // numpy: y + np.int32(2) * x, int32 (wraps)
  { op: 'axpy', args: [I32([2147483647, 5]), I32([1, -3]), 2], dtype: 'int32', out: [-2147483647, -1] },
  // numpy: y + np.float32(2 * 3): JS-number x and alpha stay weak, so float32 stays float32
  { op: 'axpy', args: [F32([1, 0.10000000149011612]), 2, 3], dtype: 'float32', out: [7, 6.099999904632568] },
  // numpy: y + alpha * 2 with int32 y and a float64 tensor alpha
  { op: 'axpy', args: [I32([1, 2]), 2, F64([0.5, -1])], dtype: 'float64', out: [2, 0] },
  // numpy: y + alpha * x with a tensor alpha
  { op: 'axpy', args: [F64([1, 2, 3]), F64([10, 20, 30]), F64([0.5, -1, 0])], dtype: 'float64', out: [6, -18, 3] },

  // casts. numpy: np.trunc(x).astype(np.int32) for in-range values
  { op: 'cast', args: [F64([1.9, -1.9, 0.5, -0.5, -0, 2147483647, 2147483646.9, -2147483648, -2147483648.9]), 'int32'], dtype: 'int32', out: [1, -1, 0, 0, 0, 2147483647, 2147483646, -2147483648, -2147483648] },
  // by hand: out of range saturates and NaN is 0 (documented; numpy's out-of-range cast is undefined and gives INT32_MIN)
  { op: 'cast', args: [F64([2147483647.5, 2147483648, 1e10, -2147483649, -1e10, Infinity, -Infinity, NaN]), 'int32'], dtype: 'int32', out: [2147483647, 2147483647, 2147483647, -2147483648, -2147483648, 2147483647, -2147483648, 0] },
  // numpy: x.astype(np.float32) (round to nearest even, overflow to inf, underflow to 0 or the smallest denormal)
  { op: 'cast', args: [F64([0.1, 1e39, -1e39, 5e-324, 3.4028235677973366e38, 3.4028235677973362e38, 1.401298464324817e-45, 7.006492321624085e-46, 7.006492321624087e-46, NaN, -0, 16777217]), 'float32'], dtype: 'float32', out: [0.10000000149011612, Infinity, -Infinity, 0, Infinity, 3.4028234663852886e38, 1.401298464324817e-45, 0, 1.401298464324817e-45, NaN, -0, 16777216] },
  // numpy: x.astype(bool) (NaN is true, -0 is false)
  { op: 'cast', args: [F64([0, -0, NaN, Infinity, 5e-324, -1]), 'bool'], dtype: 'bool', out: [0, 0, 1, 1, 1, 1] },
  // numpy: x.astype(np.float32), int32
  { op: 'cast', args: [I32([16777217, 2147483647, -2147483648, 0]), 'float32'], dtype: 'float32', out: [16777216, 2147483648, -2147483648, 0] },
  // numpy: x.astype(np.float64), int32
  { op: 'cast', args: [I32([16777217, 2147483647, -2147483648, 0]), 'float64'], dtype: 'float64', out: [16777217, 2147483647, -2147483648, 0] },
  // numpy: x.astype(bool), int32
  { op: 'cast', args: [I32([16777217, 2147483647, -2147483648, 0]), 'bool'], dtype: 'bool', out: [1, 1, 1, 0] },
  // numpy: x.astype(np.float32), bool
  { op: 'cast', args: [BOOL([false, true]), 'float32'], dtype: 'float32', out: [0, 1] },
  // numpy: x.astype(np.int32), bool
  { op: 'cast', args: [BOOL([false, true]), 'int32'], dtype: 'int32', out: [0, 1] },
  // numpy: x.astype(np.float64), float32
  { op: 'cast', args: [F32([0.10000000149011612, 3.4028234663852886e38, NaN, -0]), 'float64'], dtype: 'float64', out: [0.10000000149011612, 3.4028234663852886e38, NaN, -0] },
  // numpy: x.astype(np.int32), float32 in range; by hand 2^31 saturates
  { op: 'cast', args: [F32([2147483520, -2147483648, 1.5, -1.5, 2147483648]), 'int32'], dtype: 'int32', out: [2147483520, -2147483648, 1, -1, 2147483647] },
  // by hand: a cast to the same dtype is the identity
  { op: 'cast', args: [I32([-2147483648, 3]), 'int32'], dtype: 'int32', out: [-2147483648, 3] },

  // weak JS scalars. numpy (NEP 50): np.float32 array * 2 stays float32
  { op: 'mul', args: [F32([0.10000000149011612, 3e38]), 2], dtype: 'float32', out: [0.20000000298023224, Infinity] },
  // numpy: np.float32 array + 0.1 (the scalar is rounded to float32 first)
  { op: 'add', args: [F32([1]), 0.1], dtype: 'float32', out: [1.100000023841858] },
  // numpy: np.float32 array + 1e40 (the scalar overflows float32)
  { op: 'add', args: [F32([1]), 1e40], dtype: 'float32', out: [Infinity] },
  // numpy: np.float32 array + 1 (16777217 is not a float32)
  { op: 'add', args: [F32([16777216]), 1], dtype: 'float32', out: [16777216] },
  // numpy: int32 array + 1.5 is float64
  { op: 'add', args: [I32([1, -2147483648]), 1.5], dtype: 'float64', out: [2.5, -2147483646.5] },
  // numpy: int32 array + 1 stays int32 and wraps
  { op: 'add', args: [I32([2147483647, 1]), 1], dtype: 'int32', out: [-2147483648, 2] },
  // numpy: int32 array + True is int32
  { op: 'add', args: [I32([1]), true], dtype: 'int32', out: [2] },
  // by hand: int32 + 3e10 is float64 (an integer scalar outside int32; numpy raises OverflowError)
  { op: 'add', args: [I32([1, -2147483648]), 3e10], dtype: 'float64', out: [30000000001, 27852516352] },
  // numpy: bool array + 1 = [2, 1]; by hand the dtype: int32 (numpy: int64)
  { op: 'add', args: [BOOL([true, false]), 1], dtype: 'int32', out: [2, 1] },
  // numpy: bool array * 2 = [2, 0]; by hand the dtype: int32 (numpy: int64)
  { op: 'mul', args: [BOOL([true, false]), 2], dtype: 'int32', out: [2, 0] },
  // numpy: bool array + True is logical or
  { op: 'add', args: [BOOL([true, false]), true], dtype: 'bool', out: [1, 1] },
  // numpy: int32 array / 2 is float64
  { op: 'div', args: [I32([7, -7]), 2], dtype: 'float64', out: [3.5, -3.5] },
  // numpy: np.mod(int32 array, -2) is int32, floored
  { op: 'mod', args: [I32([7, -7]), -2], dtype: 'int32', out: [-1, -1] },
  // numpy: np.mod(int32 array, 2.5) is float64
  { op: 'mod', args: [I32([7, -7]), 2.5], dtype: 'float64', out: [2, 0.5] },
  // numpy: int32 array ** 2 (wraps)
  { op: 'pow', args: [I32([5, 46341]), 2], dtype: 'int32', out: [25, -2147479015] },
  // numpy: int32 array ** 0.5 is float64
  { op: 'pow', args: [I32([2, 4]), 0.5], dtype: 'float64', out: [1.4142135623730951, 2] },
  // numpy: float32 array ** 0.5 stays float32
  { op: 'pow', args: [F32([2, 4]), 0.5], dtype: 'float32', out: [1.4142135381698608, 2], ulps: 1 },
  // numpy: int32 array < 1.5 (compared in float64)
  { op: 'lt', args: [I32([1, 2]), 1.5], dtype: 'bool', out: [1, 0] },
  // numpy: int32 array == 2147483647.5
  { op: 'eq', args: [I32([2147483647]), 2147483647.5], dtype: 'bool', out: [0] },
  // numpy: np.maximum(int32 array, 0.5) is float64
  { op: 'maximum', args: [I32([0, 1]), 0.5], dtype: 'float64', out: [0.5, 1] },
];

/** Per-op float32 rounding through a chain: numpy float32 arithmetic rounds after every op too. */
describe('float32 rounds after every op', () => {
  it('0.1 + 0.2 in float32 is float32(0.3), not the double 0.30000000000000004', () => {
    // numpy: np.float32(0.1) + np.float32(0.2) == np.float32(0.3) -> 0.30000001192092896
    expectValues(run(tensor([0.1], { dtype: 'float32' }).add(tensor([0.2], { dtype: 'float32' }))), [0.30000001192092896], 'add float32 0.1 + 0.2');
  });
  it('(x * 3 + y) / 7 in float32 differs from the float64 chain', () => {
    const x = tensor([0.1, 0.7, 1e-8], { dtype: 'float32' }), y = tensor([0.2, 0.1, 1], { dtype: 'float32' });
    // numpy: (x * np.float32(3) + y) / np.float32(7) with float32 x, y
    expectValues(run(x.mul(3).add(y).div(7)), [0.0714285746216774, 0.3142856955528259, 0.1428571492433548], 'float32 chain');
    // numpy: the same chain on x.astype(np.float64), y.astype(np.float64)
    expectValues(run(x.cast('float64').mul(3).add(y.cast('float64')).div(7)), [0.07142857249294009, 0.3142857093896185, 0.1428571471428571], 'float64 chain');
  });
});

describe('elementwise ops: literal values', () => {
  it.each(UNARY.map((r) => [label(r), r] as const))('%s', (_name, r) => check(r));
  it.each(BINARY.map((r) => [label(r), r] as const))('%s', (_name, r) => check(r));
  it.each(OTHER.map((r) => [label(r), r] as const))('%s', (_name, r) => check(r));

  it('covers every elementwise primitive of the op table', () => {
    const tested = new Set([...UNARY, ...BINARY, ...OTHER, ...MATH_UNARY, ...MATH_BINARY].map((r) => (r.op === 'where()' ? 'where' : r.op)));
    const primitives = Object.entries(OPS).filter(([, d]) => d.kind === 'elementwise').map(([name]) => name);
    expect(primitives.filter((p) => !tested.has(p))).toEqual([]);
  });

  it('works on 0-d tensors and on size-0 tensors', () => {
    // numpy: np.float64(2) ** 10 is a 0-d result
    const s = tensor(2).pow(10);
    expect(s.shape).toEqual([]);
    expectValues(run(s), [1024], 'pow 0-d');
    const e = tensor([], { dtype: 'float32' }).reshape([0, 3]).exp();
    expect(e.shape).toEqual([0, 3]);
    expectValues(run(e), [], 'exp [0,3]');
    // numpy: np.zeros((0, 3)) + np.ones((1, 3)) has shape (0, 3)
    expect(tensor([], { shape: [0, 3] }).add(tensor([[1, 1, 1]])).shape).toEqual([0, 3]);
  });

  it('folds constant operands without changing the value', () => {
    // numpy: np.float32(0.1) * np.float32(3) -> 0.30000001192092896 (a constant-only op is folded at record time)
    const c = tensor(0.1, { dtype: 'float32' }).cast('float32');
    expectValues(run(c.mul(3)), [0.30000001192092896], 'float32 0.1 * 3');
  });
});

/** dtype of `a op b` for two tensors; numpy's result_type except where marked. */
const PROMOTION: readonly [DType, DType, Record<string, DType>][] = (() => {
  const rows: [DType, DType, Record<string, DType>][] = [];
  // numpy: np.add/np.true_divide/np.power/np.mod/np.maximum/np.less on one-element arrays of each pair of dtypes.
  // By hand where we differ: int32 with float32 is float32 (our lattice; numpy float64); bool pow/mod compute
  // as int32 (numpy int8); bool - bool is a DTypeError (numpy raises too) and is tested in errors.test.ts.
  const table: [DType, DType, DType, DType, DType, DType, DType][] = [
    //  a          b          add        div        pow        mod        maximum
    ['bool', 'bool', 'bool', 'float64', 'int32', 'int32', 'bool'],
    ['bool', 'int32', 'int32', 'float64', 'int32', 'int32', 'int32'],
    ['bool', 'float32', 'float32', 'float32', 'float32', 'float32', 'float32'],
    ['bool', 'float64', 'float64', 'float64', 'float64', 'float64', 'float64'],
    ['int32', 'bool', 'int32', 'float64', 'int32', 'int32', 'int32'],
    ['int32', 'int32', 'int32', 'float64', 'int32', 'int32', 'int32'],
    ['int32', 'float32', 'float32', 'float32', 'float32', 'float32', 'float32'],
    ['int32', 'float64', 'float64', 'float64', 'float64', 'float64', 'float64'],
    ['float32', 'bool', 'float32', 'float32', 'float32', 'float32', 'float32'],
    ['float32', 'int32', 'float32', 'float32', 'float32', 'float32', 'float32'],
    ['float32', 'float32', 'float32', 'float32', 'float32', 'float32', 'float32'],
    ['float32', 'float64', 'float64', 'float64', 'float64', 'float64', 'float64'],
    ['float64', 'bool', 'float64', 'float64', 'float64', 'float64', 'float64'],
    ['float64', 'int32', 'float64', 'float64', 'float64', 'float64', 'float64'],
    ['float64', 'float32', 'float64', 'float64', 'float64', 'float64', 'float64'],
    ['float64', 'float64', 'float64', 'float64', 'float64', 'float64', 'float64'],
  ];
  for (const [a, b, add, div, pow, mod, maximum] of table) rows.push([a, b, { add, sub: add, mul: add, div, pow, mod, maximum, minimum: maximum, lt: 'bool', eq: 'bool', and: 'bool', or: 'bool' }]);
  return rows;
})();

describe('dtype promotion of two tensors', () => {
  const cases = PROMOTION.flatMap(([a, b, ops]) => Object.entries(ops)
    .filter(([op]) => !(op === 'sub' && a === 'bool' && b === 'bool'))
    .map(([op, out]) => [`${a} ${op} ${b} -> ${out}`, a, b, op, out] as const));
  it.each(cases)('%s', (_name, a, b, op, out) => {
    const x = tensor([1], { dtype: a }), y = tensor([1], { dtype: b });
    const r = (x as unknown as Record<string, (o: Tensor) => Tensor>)[op](y);
    expect(r.dtype, `${op}(${a}, ${b})`).toBe(out);
    r.eval(TS);
    expect(r.isRealized).toBe(true);
  });
  it('int32 + float32 rounds to float32 (by hand: our lattice; numpy would give float64 16777217)', () => {
    const r = tensor([16777216], { dtype: 'int32' }).add(tensor([1], { dtype: 'float32' }));
    expect(r.dtype).toBe('float32');
    expectValues(run(r), [16777216], 'int32 16777216 + float32 1');
  });
});

/** [a shape, b shape, result shape, a + b] with a = arange, b = 10 * arange; numpy: (np.arange(n).reshape(a) + 10 * np.arange(m).reshape(b)). */
const BROADCAST: readonly [number[], number[], number[], number[]][] = [
  [[2, 3], [3], [2, 3], [0, 11, 22, 3, 14, 25]],
  [[2, 1], [1, 3], [2, 3], [0, 10, 20, 1, 11, 21]],
  [[3, 1, 2], [4, 1], [3, 4, 2], [0, 1, 10, 11, 20, 21, 30, 31, 2, 3, 12, 13, 22, 23, 32, 33, 4, 5, 14, 15, 24, 25, 34, 35]],
  [[], [2, 2], [2, 2], [0, 10, 20, 30]],
  [[2, 2], [], [2, 2], [0, 1, 2, 3]],
  [[0], [1], [0], []],
  [[1], [0], [0], []],
  [[0, 3], [1, 3], [0, 3], []],
  [[2, 0], [2, 1], [2, 0], []],
  [[1, 1], [1], [1, 1], [0]],
  [[5, 1, 1], [1, 2, 1], [5, 2, 1], [0, 10, 1, 11, 2, 12, 3, 13, 4, 14]],
  [[1, 2, 1, 3], [2, 1, 1], [1, 2, 1, 3], [0, 1, 2, 13, 14, 15]],
];

const iotaTensor = (shape: number[], scale: number): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return tensor(Float64Array.from({ length: n }, (_, i) => i * scale), { shape });
};

describe('broadcasting (numpy rules)', () => {
  it.each(BROADCAST.map((c) => [`${show(c[0])} + ${show(c[1])} -> ${show(c[2])}`, ...c] as const))('%s', (name, a, b, shape, out) => {
    const r = iotaTensor(a, 1).add(iotaTensor(b, 10));
    expect(r.shape, name).toEqual(shape);
    expectValues(run(r), out, `add ${name}`);
    // the other order gives the same shape and values (add is commutative)
    const s = iotaTensor(b, 10).add(iotaTensor(a, 1));
    expect(s.shape, name).toEqual(shape);
    expectValues(run(s), out, `add ${name} (swapped)`);
  });
});
