/**
 * Literal rows for the elementwise entries of issue 15 (numpy 1.24's answers; the comment above each row
 * is the expression), checked by ref-math.test.ts; ref-elementwise.test.ts counts them when it checks that
 * every elementwise primitive of the table has literal rows.
 */
import type { DType } from '../src/index.js';
import type { Input } from './helpers.js';
import { BOOL, F32, F64, I32 } from './helpers.js';

export type Arg = Input | number | boolean;
export interface Row { op: string; args: readonly Arg[]; dtype: DType; out: readonly number[]; ulps?: number }

export const MATH_UNARY: Row[] = [
  // np.arcsin on float64
  { op: 'asin', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1.5707963267948966, -1.5707963267948966, 0.5235987755982989, NaN, NaN, 5e-324, NaN, NaN, NaN, NaN], ulps: 2 },
  // np.arcsin on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'asin', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1.5707963705062866, -1.5707963705062866, 0.5235987901687622, NaN, NaN, 1.401298464324817e-45, NaN, NaN, NaN, NaN, 0.1001674234867096], ulps: 1 },
  // np.arcsin on int32 (x as float64: ints and bools compute in float64)
  { op: 'asin', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 1.5707963267948966, -1.5707963267948966, NaN, NaN, NaN, NaN], ulps: 2 },
  // np.arcsin on bool (as float64)
  { op: 'asin', args: [BOOL([false, true])], dtype: 'float64', out: [0, 1.5707963267948966], ulps: 2 },
  // np.arccos on float64
  { op: 'acos', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [1.5707963267948966, 1.5707963267948966, 0, 3.141592653589793, 1.0471975511965976, NaN, NaN, 1.5707963267948966, NaN, NaN, NaN, NaN], ulps: 2 },
  // np.arccos on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'acos', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [1.5707963705062866, 1.5707963705062866, 0, 3.1415927410125732, 1.0471975803375244, NaN, NaN, 1.5707963705062866, NaN, NaN, NaN, NaN, 1.4706288576126099], ulps: 1 },
  // np.arccos on int32 (x as float64: ints and bools compute in float64)
  { op: 'acos', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [1.5707963267948966, 0, 3.141592653589793, NaN, NaN, NaN, NaN], ulps: 2 },
  // np.arccos on bool (as float64)
  { op: 'acos', args: [BOOL([false, true])], dtype: 'float64', out: [1.5707963267948966, 0], ulps: 2 },
  // np.arctan on float64
  { op: 'atan', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 0.7853981633974483, -0.7853981633974483, 0.4636476090008061, -1.1902899496825317, 1.1902899496825317, 5e-324, 1.5707963267948966, 1.5707963267948966, -1.5707963267948966, NaN], ulps: 2 },
  // np.arctan on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'atan', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 0.7853981852531433, -0.7853981852531433, 0.46364760398864746, -1.1902899742126465, 1.1902899742126465, 1.401298464324817e-45, 1.5707963705062866, 1.5707963705062866, -1.5707963705062866, NaN, 0.09966865181922913], ulps: 1 },
  // np.arctan on int32 (x as float64: ints and bools compute in float64)
  { op: 'atan', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 0.7853981633974483, -0.7853981633974483, 1.4288992721907328, -1.4288992721907328, 1.5707963263292353, -1.5707963263292353], ulps: 2 },
  // np.arctan on bool (as float64)
  { op: 'atan', args: [BOOL([false, true])], dtype: 'float64', out: [0, 0.7853981633974483], ulps: 2 },
  // np.sinh on float64
  { op: 'sinh', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1.1752011936438014, -1.1752011936438014, 0.5210953054937474, -6.0502044810397875, 6.0502044810397875, 5e-324, Infinity, Infinity, -Infinity, NaN], ulps: 2 },
  // np.sinh on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'sinh', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1.175201177597046, -1.175201177597046, 0.5210952758789062, -6.050204277038574, 6.050204277038574, 1.401298464324817e-45, Infinity, Infinity, -Infinity, NaN, 0.10016675293445587], ulps: 1 },
  // np.sinh on int32 (x as float64: ints and bools compute in float64)
  { op: 'sinh', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 1.1752011936438014, -1.1752011936438014, 548.3161232732465, -548.3161232732465, Infinity, -Infinity], ulps: 2 },
  // np.sinh on bool (as float64)
  { op: 'sinh', args: [BOOL([false, true])], dtype: 'float64', out: [0, 1.1752011936438014], ulps: 2 },
  // np.cosh on float64
  { op: 'cosh', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [1, 1, 1.5430806348152437, 1.5430806348152437, 1.1276259652063807, 6.132289479663686, 6.132289479663686, 1, Infinity, Infinity, Infinity, NaN], ulps: 2 },
  // np.cosh on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'cosh', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [1, 1, 1.5430806875228882, 1.5430806875228882, 1.1276259422302246, 6.132289409637451, 6.132289409637451, 1, Infinity, Infinity, Infinity, NaN, 1.0050041675567627], ulps: 1 },
  // np.cosh on int32 (x as float64: ints and bools compute in float64)
  { op: 'cosh', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [1, 1.5430806348152437, 1.5430806348152437, 548.3170351552121, 548.3170351552121, Infinity, Infinity], ulps: 2 },
  // np.cosh on bool (as float64)
  { op: 'cosh', args: [BOOL([false, true])], dtype: 'float64', out: [1, 1.5430806348152437], ulps: 2 },
  // np.arcsinh on float64
  { op: 'asinh', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 0.881373587019543, -0.881373587019543, 0.48121182505960347, -1.6472311463710958, 1.6472311463710958, 5e-324, 709.889355822726, Infinity, -Infinity, NaN], ulps: 2 },
  // np.arcsinh on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'asinh', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 0.8813735842704773, -0.8813735842704773, 0.4812118113040924, -1.647231101989746, 1.647231101989746, 1.401298464324817e-45, 89.41598510742188, Infinity, -Infinity, NaN, 0.09983407706022263], ulps: 1 },
  // np.arcsinh on int32 (x as float64: ints and bools compute in float64)
  { op: 'asinh', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 0.881373587019543, -0.881373587019543, 2.644120761058629, -2.644120761058629, 22.180709777452588, -22.18070977791825], ulps: 2 },
  // np.arcsinh on bool (as float64)
  { op: 'asinh', args: [BOOL([false, true])], dtype: 'float64', out: [0, 0.881373587019543], ulps: 2 },
  // np.arccosh on float64
  { op: 'acosh', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [NaN, NaN, 0, NaN, NaN, NaN, 1.566799236972411, NaN, 709.889355822726, Infinity, NaN, NaN], ulps: 2 },
  // np.arccosh on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'acosh', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [NaN, NaN, 0, NaN, NaN, NaN, 1.566799283027649, NaN, 89.41598510742188, Infinity, NaN, NaN, NaN], ulps: 1 },
  // np.arccosh on int32 (x as float64: ints and bools compute in float64)
  { op: 'acosh', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [NaN, 0, NaN, 2.6339157938496336, NaN, 22.180709777452588, NaN], ulps: 2 },
  // np.arccosh on bool (as float64)
  { op: 'acosh', args: [BOOL([false, true])], dtype: 'float64', out: [NaN, 0], ulps: 2 },
  // np.arctanh on float64
  { op: 'atanh', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, Infinity, -Infinity, 0.5493061443340549, NaN, NaN, 5e-324, NaN, NaN, NaN, NaN], ulps: 2 },
  // np.arctanh on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'atanh', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, Infinity, -Infinity, 0.5493061542510986, NaN, NaN, 1.401298464324817e-45, NaN, NaN, NaN, NaN, 0.10033535212278366], ulps: 1 },
  // np.arctanh on int32 (x as float64: ints and bools compute in float64)
  { op: 'atanh', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, Infinity, -Infinity, NaN, NaN, NaN, NaN], ulps: 2 },
  // np.arctanh on bool (as float64)
  { op: 'atanh', args: [BOOL([false, true])], dtype: 'float64', out: [0, Infinity], ulps: 2 },
  // np.log2 on float64
  { op: 'log2', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [-Infinity, -Infinity, 0, NaN, -1, NaN, 1.3219280948873624, -1074, 1023.1538532253076, Infinity, NaN, NaN], ulps: 2 },
  // np.log2 on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'log2', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [-Infinity, -Infinity, 0, NaN, -1, NaN, 1.3219281435012817, -149, 128, Infinity, NaN, NaN, -3.321928024291992], ulps: 1 },
  // np.log2 on int32 (x as float64: ints and bools compute in float64)
  { op: 'log2', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [-Infinity, 0, NaN, 2.807354922057604, NaN, 30.999999999328193, NaN], ulps: 2 },
  // np.log2 on bool (as float64)
  { op: 'log2', args: [BOOL([false, true])], dtype: 'float64', out: [-Infinity, 0], ulps: 2 },
  // np.log10 on float64
  { op: 'log10', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [-Infinity, -Infinity, 0, NaN, -0.3010299956639812, NaN, 0.3979400086720376, -323.3062153431158, 308, Infinity, NaN, NaN], ulps: 2 },
  // np.log10 on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'log10', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [-Infinity, -Infinity, 0, NaN, -0.3010300099849701, NaN, 0.3979400098323822, -44.85346984863281, 38.53184127807617, Infinity, NaN, NaN, -1], ulps: 1 },
  // np.log10 on int32 (x as float64: ints and bools compute in float64)
  { op: 'log10', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [-Infinity, 0, NaN, 0.8450980400142568, NaN, 9.331929865381182, NaN], ulps: 2 },
  // np.log10 on bool (as float64)
  { op: 'log10', args: [BOOL([false, true])], dtype: 'float64', out: [-Infinity, 0], ulps: 2 },
  // np.exp2 on float64
  { op: 'exp2', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [1, 1, 2, 0.5, 1.4142135623730951, 0.1767766952966369, 5.656854249492381, 1, Infinity, Infinity, 0, NaN], ulps: 2 },
  // np.exp2 on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'exp2', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [1, 1, 2, 0.5, 1.4142135381698608, 0.1767766922712326, 5.656854152679443, 1, Infinity, Infinity, 0, NaN, 1.0717734098434448], ulps: 1 },
  // np.exp2 on int32 (x as float64: ints and bools compute in float64)
  { op: 'exp2', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [1, 2, 0.5, 128, 0.0078125, Infinity, 0], ulps: 2 },
  // np.exp2 on bool (as float64)
  { op: 'exp2', args: [BOOL([false, true])], dtype: 'float64', out: [1, 2], ulps: 2 },
  // np.cbrt on float64
  { op: 'cbrt', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1, -1, 0.7937005259840998, -1.3572088082974534, 1.3572088082974534, 1.7031839360032603e-108, 4.641588833612779e+102, Infinity, -Infinity, NaN], ulps: 2 },
  // np.cbrt on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'cbrt', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1, -1, 0.7937005162239075, -1.3572088479995728, 1.3572088479995728, 1.119034708375443e-15, 6981463572480, Infinity, -Infinity, NaN, 0.46415889263153076], ulps: 1 },
  // np.cbrt on int32 (x as float64: ints and bools compute in float64)
  { op: 'cbrt', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 1, -1, 1.912931182772389, -1.912931182772389, 1290.1591548920912, -1290.1591550923501], ulps: 2 },
  // np.cbrt on bool (as float64)
  { op: 'cbrt', args: [BOOL([false, true])], dtype: 'float64', out: [0, 1], ulps: 2 },
  // [math.erf(v) for v in x] (Python, glibc; numpy has no erf), float64
  { op: 'erf', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 0.8427007929497149, -0.8427007929497149, 0.5204998778130465, -0.999593047982555, 0.999593047982555, 5e-324, 1, 1, -1, NaN], ulps: 2 },
  // [math.erf(v) for v in x] (Python, glibc; numpy has no erf) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'erf', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 0.8427007794380188, -0.8427007794380188, 0.5204998850822449, -0.9995930194854736, 0.9995930194854736, 1.401298464324817e-45, 1, 1, -1, NaN, 0.11246291548013687], ulps: 1 },
  // [math.erf(v) for v in x] (Python, glibc; numpy has no erf) on int32 (x as float64: ints and bools compute in float64)
  { op: 'erf', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0, 0.8427007929497149, -0.8427007929497149, 1, -1, 1, -1], ulps: 2 },
  // [math.erf(v) for v in x] (Python, glibc; numpy has no erf) on bool (as float64)
  { op: 'erf', args: [BOOL([false, true])], dtype: 'float64', out: [0, 0.8427007929497149], ulps: 2 },
  // [math.erfc(v) for v in x] (Python, glibc; numpy has no erfc), float64
  { op: 'erfc', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [1, 1, 0.15729920705028513, 1.842700792949715, 0.4795001221869535, 1.999593047982555, 0.0004069520174449589, 1, 0, 0, 2, NaN], ulps: 2 },
  // [math.erfc(v) for v in x] (Python, glibc; numpy has no erfc) on float32 (computed in float64, rounded to float32 once: the reference rounds per op)
  { op: 'erfc', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [1, 1, 0.15729920566082, 1.8427008390426636, 0.4795001149177551, 1.9995930194854736, 0.00040695202187635005, 1, 0, 0, 2, NaN, 0.8875370621681213], ulps: 1 },
  // [math.erfc(v) for v in x] (Python, glibc; numpy has no erfc) on int32 (x as float64: ints and bools compute in float64)
  { op: 'erfc', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [1, 0.15729920705028513, 1.842700792949715, 4.183825607779414e-23, 2, 0, 2], ulps: 2 },
  // [math.erfc(v) for v in x] (Python, glibc; numpy has no erfc) on bool (as float64)
  { op: 'erfc', args: [BOOL([false, true])], dtype: 'float64', out: [1, 0.15729920705028513], ulps: 2 },
  // np.trunc(x) on float64
  { op: 'trunc', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0, -0, 1, -1, 0, -2, 2, 0, 1e+308, Infinity, -Infinity, NaN] },
  // np.trunc(x) on float32
  { op: 'trunc', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0, -0, 1, -1, 0, -2, 2, 0, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0] },
  // np.trunc(x) on int32; by hand: ints stay int32, as floor and ceil here (numpy 1.x gives float64 values, the same numbers)
  { op: 'trunc', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'int32', out: [0, 1, -1, 7, -7, 2147483647, -2147483648] },
  // np.trunc(x) on bool; by hand: bool computes as int32, as floor
  { op: 'trunc', args: [BOOL([false, true])], dtype: 'int32', out: [0, 1] },
  // np.isnan(x) on float64
  { op: 'isnan', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'bool', out: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] },
  // np.isnan(x) on float32
  { op: 'isnan', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'bool', out: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0] },
  // np.isnan(x) on int32
  { op: 'isnan', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'bool', out: [0, 0, 0, 0, 0, 0, 0] },
  // np.isnan(x) on bool
  { op: 'isnan', args: [BOOL([false, true])], dtype: 'bool', out: [0, 0] },
  // np.isinf(x) on float64
  { op: 'isinf', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'bool', out: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0] },
  // np.isinf(x) on float32
  { op: 'isinf', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'bool', out: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0] },
  // np.isinf(x) on int32
  { op: 'isinf', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'bool', out: [0, 0, 0, 0, 0, 0, 0] },
  // np.isinf(x) on bool
  { op: 'isinf', args: [BOOL([false, true])], dtype: 'bool', out: [0, 0] },
  // np.isfinite(x) on float64
  { op: 'isfinite', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'bool', out: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0] },
  // np.isfinite(x) on float32
  { op: 'isfinite', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'bool', out: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1] },
  // np.isfinite(x) on int32
  { op: 'isfinite', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'bool', out: [1, 1, 1, 1, 1, 1, 1] },
  // np.isfinite(x) on bool
  { op: 'isfinite', args: [BOOL([false, true])], dtype: 'bool', out: [1, 1] },
  // np.logaddexp(x, 0) on float64
  { op: 'softplus', args: [F64([0, -0, 1, -1, 0.5, -2.5, 2.5, 5e-324, 1e+308, Infinity, -Infinity, NaN])], dtype: 'float64', out: [0.6931471805599453, 0.6931471805599453, 1.3132616875182228, 0.31326168751822286, 0.9740769841801067, 0.07888973429254963, 2.5788897342925496, 0.6931471805599453, 1e+308, Infinity, 0, NaN], ulps: 2 },
  // np.logaddexp(x, np.float32(0)) on float32 (numpy float32 steps; ours round each step too)
  { op: 'softplus', args: [F32([0, -0, 1, -1, 0.5, -2.5, 2.5, 1.401298464324817e-45, 3.4028234663852886e+38, Infinity, -Infinity, NaN, 0.10000000149011612])], dtype: 'float32', out: [0.6931471824645996, 0.6931471824645996, 1.3132617473602295, 0.3132616877555847, 0.9740769863128662, 0.07888973504304886, 2.578889846801758, 0.6931471824645996, 3.4028234663852886e+38, Infinity, 0, NaN, 0.7443966865539551], ulps: 2 },
  // np.logaddexp(x.astype(float64), 0) on int32
  { op: 'softplus', args: [I32([0, 1, -1, 7, -7, 2147483647, -2147483648])], dtype: 'float64', out: [0.6931471805599453, 1.3132616875182228, 0.31326168751822286, 7.000911466453775, 0.0009114664537742447, 2147483647, 0], ulps: 2 },
];

export const MATH_BINARY: Row[] = [
  // np.arctan2(a, b), float64
  { op: 'atan2', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e+308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, -0, 3.141592653589793, -3.141592653589793, NaN, 1.5707963267948966, 2.356194490192345, -2.356194490192345, 1.5707963267948966, 0.7853981633974483, 1.5707963267948966, -1.1659045405098132, 1.97568811307998, 0.46364760900080615, 2.896613990462929, 1.5707963267948966, -1.5291537476963082, 1.3258176636680323], ulps: 2 },
  // np.arctan2(a, b) in float64, rounded to float32
  { op: 'atan2', args: [F32([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 0, Infinity, -7, 7, 0.10000000149011612, 0.5, 3, -8, 2]), F32([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 0, 10, 3, -3, 0.20000000298023224, -2, 0, 0.3333333432674408, 0.5])], dtype: 'float32', out: [NaN, -0, 3.1415927410125732, -3.1415927410125732, NaN, 1.5707963705062866, 2.356194496154785, -2.356194496154785, 1.5707963705062866, 0, 1.5707963705062866, -1.1659045219421387, 1.975688099861145, 0.46364760398864746, 2.8966140747070312, 1.5707963705062866, -1.5291537046432495, 1.3258177042007446], ulps: 1 },
  // np.arctan2(a, b) of int32 (as float64)
  { op: 'atan2', args: [I32([7, -7, 7, -7, 0, 5, -2147483648, -2147483648, 2147483647, 3, -1]), I32([2, 2, -2, -2, 3, 0, -1, 1, 1, -4, 5])], dtype: 'float64', out: [1.2924966677897851, -1.2924966677897851, 1.849095985800008, -1.849095985800008, 0, 1.5707963267948966, -1.5707963272605578, -1.5707963263292353, 1.5707963263292353, 2.498091544796509, -0.19739555984988078], ulps: 2 },
  // np.hypot(a, b), float64
  { op: 'hypot', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e+308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, 0, 0, 0, NaN, 1, Infinity, Infinity, Infinity, 5e-324, 1e+308, 7.615773105863909, 7.615773105863909, 0.223606797749979, 2.0615528128088303, 3, 8.006941432976209, 2.0615528128088303], ulps: 1 },
  // np.hypot(a, b) in float64, rounded to float32
  { op: 'hypot', args: [F32([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 0, Infinity, -7, 7, 0.10000000149011612, 0.5, 3, -8, 2]), F32([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 0, 10, 3, -3, 0.20000000298023224, -2, 0, 0.3333333432674408, 0.5])], dtype: 'float32', out: [NaN, 0, 0, 0, NaN, 1, Infinity, Infinity, Infinity, 0, Infinity, 7.6157732009887695, 7.6157732009887695, 0.22360679507255554, 2.0615527629852295, 3, 8.006941795349121, 2.0615527629852295], ulps: 1 },
  // np.hypot(a, b) of int32 (as float64)
  { op: 'hypot', args: [I32([7, -7, 7, -7, 0, 5, -2147483648, -2147483648, 2147483647, 3, -1]), I32([2, 2, -2, -2, 3, 0, -1, 1, 1, -4, 5])], dtype: 'float64', out: [7.280109889280518, 7.280109889280518, 7.280109889280518, 7.280109889280518, 3, 5, 2147483648, 2147483648, 2147483647, 5, 5.0990195135927845], ulps: 1 },
  // np.floor_divide(a, b), float64
  { op: 'floorDiv', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e+308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'float64', out: [NaN, NaN, NaN, NaN, NaN, Infinity, NaN, NaN, NaN, 1, 1e+307, -3, -3, 0, -1, Infinity, -25, 4] },
  // np.floor_divide(a, b), float64: signed zeros, infinite divisors, huge and tiny quotients, inexact divisors (3 // 0.1 is 29)
  { op: 'floorDiv', args: [F64([-0, 0, 1, -1, 1e+300, -1e+300, 7.5, -7.5, 1e-300, 5e-324, 3, 9007199254740992, 0.3, -0]), F64([5, -5, -Infinity, Infinity, 1e-10, 1e-10, 0.5, 0.5, -1e+300, -5e-324, 0.1, 2, 0.1, -Infinity])], dtype: 'float64', out: [-0, -0, -1, -1, Infinity, -Infinity, 15, -15, -1, -1, 29, 4503599627370496, 2, 0] },
  // np.floor_divide(a, b) of float32 computed in float64, rounded to float32 (the table divides float32 in double)
  { op: 'floorDiv', args: [F32([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 0, Infinity, -7, 7, 0.10000000149011612, 0.5, 3, -8, 2]), F32([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 0, 10, 3, -3, 0.20000000298023224, -2, 0, 0.3333333432674408, 0.5])], dtype: 'float32', out: [NaN, NaN, NaN, NaN, NaN, Infinity, NaN, NaN, NaN, NaN, NaN, -3, -3, 0, -1, Infinity, -24, 4] },
  // np.floor_divide(a, b), int32 (x // 0 is 0, INT32_MIN // -1 wraps)
  { op: 'floorDiv', args: [I32([7, -7, 7, -7, 0, 5, -2147483648, -2147483648, 2147483647, 3, -1]), I32([2, 2, -2, -2, 3, 0, -1, 1, 1, -4, 5])], dtype: 'int32', out: [3, -4, -4, 3, 0, 0, -2147483648, -2147483648, 2147483647, -1, -1] },
  // np.floor_divide(a, b) of bools; by hand: bool computes as int32 (numpy gives int8)
  { op: 'floorDiv', args: [BOOL([true, false, true, false]), BOOL([true, true, false, false])], dtype: 'int32', out: [1, 0, 0, 0] },
  // np.logical_xor(a, b) of float64
  { op: 'xor', args: [F64([1, -0, 0, -0, NaN, 1, Infinity, -Infinity, Infinity, 5e-324, 1e+308, -7, 7, 0.1, 0.5, 3, -8, 2]), F64([NaN, 0, -0, -0, 1, 0, -Infinity, -Infinity, 2, 5e-324, 10, 3, -3, 0.2, -2, 0, 0.3333333333333333, 0.5])], dtype: 'bool', out: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0] },
  // np.logical_xor(a, b) of int32
  { op: 'xor', args: [I32([7, -7, 7, -7, 0, 5, -2147483648, -2147483648, 2147483647, 3, -1]), I32([2, 2, -2, -2, 3, 0, -1, 1, 1, -4, 5])], dtype: 'bool', out: [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0] },
  // np.logical_xor(a, b) of bool
  { op: 'xor', args: [BOOL([true, false, true, false]), BOOL([true, true, false, false])], dtype: 'bool', out: [0, 1, 1, 0] },
  // np.logaddexp(a, b), float64
  { op: 'logaddexp', args: [F64([0, 1, -1, 1000, -1000, Infinity, -Infinity, Infinity, -Infinity, NaN, 2, 1e-20, 0.5, -745, 700]), F64([0, 2, -3, 999, -1001, Infinity, -Infinity, -Infinity, 5, 1, NaN, -1e-20, -0.25, -746, 710])], dtype: 'float64', out: [0.6931471805599453, 2.313261687518223, -0.8730719889570275, 1000.3132616875182, -999.6867383124818, Infinity, -Infinity, Infinity, 5, NaN, NaN, 0.6931471805599453, 0.8868710061148999, -744.6867383124818, 710.0000453988993], ulps: 2 },
  // np.logaddexp(a, b), float32 (numpy float32 steps; ours round each step too)
  { op: 'logaddexp', args: [F32([0, 1, -1, 1000, -1000, Infinity, -Infinity, Infinity, -Infinity, NaN, 2, 9.999999682655225e-21, 0.5, -745, 700]), F32([0, 2, -3, 999, -1001, Infinity, -Infinity, -Infinity, 5, 1, NaN, -9.999999682655225e-21, -0.25, -746, 710])], dtype: 'float32', out: [0.6931471824645996, 2.3132617473602295, -0.8730720281600952, 1000.313232421875, -999.686767578125, Infinity, -Infinity, Infinity, 5, NaN, NaN, 0.6931471824645996, 0.8868709802627563, -744.686767578125, 710.0000610351562], ulps: 2 },
];
