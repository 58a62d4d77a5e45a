// The dtypes in the types (Tensor<D>, dtype.ts's type-level rules) against the dtypes the runtime gives
// (dtype-types.test.ts and dtype-types-forms.test.ts, two files so that two workers share the work):
// each expression below is written into a TypeScript file compiled against the built package
// (dist/index.d.ts, what a consumer sees), its static `dtype` read through the compiler API, and the
// same expression run. The runtime dtype must be in the static set (the types never lie), and the set
// must be exactly the runtime's where the operands are typed (the types are as precise as they say).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import * as tf from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';
import { DTYPES } from '../src/dtype.js';

/** A JS number the types cannot see into: run as an integer every dtype holds, a fraction, and integers some do not hold. */
const N_VALUES = [3, 0.5, 300, -1];
/**
 * Operands whose static type is a union (or a dtype not known statically): each is declared with that
 * type and run with every value it stands for, so the static set must hold the dtype of each run.
 */
const UNIONS: Record<string, { type: string; values: (t: Record<DType, Tensor>) => unknown[] }> = {
  u_f32i32: { type: `Tensor<'float32' | 'int32'>`, values: (t) => [t.float32, t.int32] },
  t_any: { type: 'Tensor', values: (t) => DTYPES.map((d) => t[d]) },
  m_f64n: { type: `Tensor<'float64'> | number`, values: (t) => [t.float64, 3, 0.5] },
  bo: { type: 'boolean', values: () => [true, false] },
};
const CORE: readonly string[] = ['bool', 'uint8', 'int32', 'float32', 'float64'];
const OPERANDS = [...DTYPES.map((d) => `t_${d}`), '2', '-7', '1.5', '1e10', 'true', 'n'];
/** Integer literals at the edges of the integer dtypes' ranges (weak scalars: in range keeps the dtype, out of it float64), next to each dtype's tensor. */
const EDGES = ['127', '128', '255', '256', '-128', '-129', '32767', '32768', '65535', '65536', '-32768', '-32769', '2147483647', '2147483648', '4294967295', '4294967296', '-2147483648', '-2147483649'];

const UNARY = `neg abs sqrt exp log log1p expm1 sin cos tan tanh sigmoid relu floor ceil round sign reciprocal square
  asin acos atan sinh cosh asinh acosh atanh log2 log10 exp2 cbrt erf erfc trunc isnan isinf isfinite not softplus
  sum prod max min argmax argmin mean variance std softmax logSoftmax logsumexp norm any all cumsum cumprod cummax cummin
  sort argsort median unique T flatten contiguous detach clone argwhere`.split(/\s+/);
const BINARY = 'add sub mul div pow maximum minimum mod floorDiv atan2 hypot lt le gt ge eq ne and or xor logaddexp dot'.split(' ');
const FORM_BINARY = ['add', 'sub', 'pow', 'div', 'atan2', 'lt', 'and', 'logaddexp', 'dot'];

export function expressions(): string[] {
  const out: string[] = [];
  for (const d of DTYPES) {
    const t = `t_${d}`;
    for (const op of UNARY) out.push(op === 'T' ? `${t}.T` : `${t}.${op}()`);
    for (const op of BINARY) for (const o of OPERANDS) out.push(`${t}.${op}(${o})`);
    for (const o of EDGES) out.push(`${t}.add(${o})`, `${t}.mul(${o})`, `${t}.maximum(${o})`, `${t}.lt(${o})`, `tf.sub(${o}, ${t})`);
    for (const e of DTYPES) out.push(`${t}.matmul(t_${e})`);
    for (const o of OPERANDS) {
      out.push(`${t}.gt(0).where(${t}, ${o})`, `${t}.gt(0).where(${o}, ${t})`, `tf.where(${t}, ${o}, ${o === 'n' ? '2' : 'n'})`);
      out.push(`${t}.clip(${o}, null)`, `${t}.clip(null, ${o})`, `${t}.clip(0, ${o})`, `${t}.axpy(${o}, 2)`, `${t}.axpy(t_int32, ${o})`);
    }
    for (const e of DTYPES) out.push(`${t}.cast('${e}')`, `tf.zerosLike(${t}, '${e}')`, `tf.concat([${t}, ${t}])`, `tf.full([2], 1, '${e}')`, `tf.zeros([2], '${e}')`);
    out.push(`${t}.reshape([3, 1]).matmul(${t}.reshape([1, 3]))`, `${t}.slice([1])`, `${t}.flip()`, `${t}.pad([[1, 1]])`, `${t}.tile(2)`, `${t}.repeat(2)`,
      `${t}.roll(1)`, `${t}.take([0, 1])`, `${t}.at(0)`, `${t}.topk(2)[0]`, `${t}.topk(2)[1]`, `${t}.quantile(0.5)`, `${t}.searchsorted(1)`,
      `${t}.reshape([1, 3]).trace()`, `${t}.reshape([1, 3]).tril()`, `${t}.split(3)[0]`, `${t}.isclose(${t})`, `${t}.nonzero()[0]`, `tf.zerosLike(${t})`, `tf.stack([${t}])`,
      `tf.shuffle(${t}, { seed: 1 })`, `tf.permutation(${t}, { seed: 1 })`);
  }
  out.push(`tf.full([2], true)`, `tf.full([2], 1.5)`, `tf.zeros([2])`, `tf.ones([2])`, `tf.eye(2)`, `tf.linspace(0, 1, 3)`, `tf.linspace(0, 1, 3, 'int32')`,
    `tf.logspace(0, 1, 3)`, `tf.arange(5)`, `tf.arange(1, 5, 2)`, `tf.arange(0, 1, 0.25)`, `tf.arange(n)`, `tf.arange(0, 4, 1, 'float32')`,
    `tf.rand([2])`, `tf.rand([2], { dtype: 'float32' })`, `tf.randn([2], { seed: 1 })`, `tf.randint(0, 5, [2])`, `tf.randint(0, 5, [2], { dtype: 'float64' })`,
    `tf.uniform(0, 1, [2])`, `tf.normal(0, 1, [2], { dtype: 'float32' })`, `tf.bernoulli(0.5, [2])`, `tf.permutation(4)`,
    `tf.tensor(new Float32Array(2))`, `tf.tensor(new Float64Array(2))`, `tf.tensor(new Int32Array(2))`, `tf.tensor(new Uint8Array(2))`, `tf.tensor(new Int16Array(2))`,
    `tf.tensor(new Uint32Array(2))`, `tf.tensor([[1, 2], [3, 4]])`, `tf.tensor(1)`, `tf.tensor(true)`, `tf.tensor([true, false])`, `tf.tensor([])`,
    `tf.tensor([1, 0], { dtype: 'bool' })`, `tf.tensor(new Float32Array(2), { dtype: 'float64' })`);
  for (const d of DTYPES) {
    const t = `t_${d}`;
    out.push(`tf.diag(${t})`, `tf.diag(${t}.reshape([1, 3]))`, `tf.stopGradient(${t})`, `tf.nonzero(${t})[0]`, `tf.argwhere(${t})`, `tf.choice(${t}, 2)`,
      `tf.choice(${t}, 2, { replace: false })`, `tf.oneHot(t_int32, 3, '${d}')`);
    for (const o of [...OPERANDS, '[1, 2]', '[true, false]']) out.push(`tf.outer(${t}, ${o})`, `tf.outer(${o}, ${t})`);
    for (const o of [...DTYPES.map((e) => `t_${e}`), 'u_f32i32', 't_any', '[1, 2, 3]', '[true, false, true]']) {
      out.push(`tf.concat([${t}, ${o}])`, `tf.concat([${o}, ${t}, ${t}])`, `tf.stack([${o}, ${t}])`, `tf.concat([${t}, ${o}].slice())`); // (slice: an array, not a tuple)
    }
  }
  out.push(`tf.choice(5, 2)`, `tf.choice(5, 2, { replace: false })`, `tf.choice(5, 2, { p: [0.2, 0.2, 0.2, 0.2, 0.2] })`, `tf.oneHot([0, 1], 3)`,
    `tf.bincount(t_int32)`, `tf.bincount(t_bool)`, `tf.bincount(t_int32, { weights: t_float32 })`, `tf.bincount(t_int32, { minlength: 5 })`);
  return out;
}

/** Union-typed operands, JS arrays, the function forms next to their methods, reductions of every dtype. */
export function unionsAndForms(): string[] {
  const out: string[] = [];
  const unions = Object.keys(UNIONS);
  const arrays = ['[1, 2, 3]', '[0.5, 1, 2]', '[true, false, true]'];
  // The core dtypes' tensors (one small integer dtype for all of them: the rules are per kind, and
  // expressions() above takes every dtype through every method); with all nine this file took 4 minutes.
  const values = [...OPERANDS.filter((o) => !o.startsWith('t_') || CORE.includes(o.slice(2))), ...unions, ...arrays];
  for (const a of values) {
    for (const b of values) out.push(`t_bool.where(${a}, ${b})`, `tf.where(t_float32, ${a}, ${b})`);
    out.push(`tf.where([true, false, true], ${a}, 2)`, `u_f32i32.gt(0).where(${a}, u_f32i32)`);
  }
  for (const d of DTYPES) {
    const t = `t_${d}`;
    if (CORE.includes(d)) for (const x of values) for (const alpha of values) out.push(`${t}.axpy(${x}, ${alpha})`);
    for (const o of [...unions, ...arrays]) {
      for (const op of BINARY) out.push(`${t}.${op}(${o})`);
      out.push(`${t}.clip(${o}, null)`, `${t}.clip(null, ${o})`, `${t}.matmul(${o === 'bo' || o === 'm_f64n' ? t : o})`);
    }
    for (const axes of ['0', '[]', '[0]', '0, true', '[], true']) {
      for (const op of ['sum', 'mean', 'prod', 'max', 'min', 'argmax', 'argmin', 'any', 'all', 'variance', 'std', 'logsumexp']) out.push(`${t}.${op}(${axes})`);
    }
    out.push(`${t}.cumsum(0)`, `${t}.cumprod(0)`, `${t}.cummax(0)`, `${t}.reshape([1, 3]).cumsum(1)`, `${t}.reshape([1, 3]).cumprod(0)`,
      `${t}.median(0)`, `${t}.quantile([0.5, 1])`, `${t}.reshape([3, 1]).trace()`);
  }
  // Function forms: the same static dtype as the method with the same operands.
  const elementwiseUnary = UNARY.filter((op) => !['T', 'argwhere'].includes(op));
  for (const x of values.filter((o) => o !== 'n')) {
    const scalar = /^[-\d.e]+$|^true$|^bo$|^m_f64n$/.test(x); // (no axis to sort or softmax along)
    for (const op of elementwiseUnary) if (!scalar || !/^(softmax|logSoftmax|sort|argsort)$/.test(op)) out.push(`tf.${op}(${x})`);
    // one binary op per dtype rule of functions.ts (each rule's function type is one generic), plus the special ones
    for (const op of FORM_BINARY) for (const y of values) out.push(`tf.${op}(${x}, ${y})`);
    for (const e of DTYPES) out.push(`tf.cast(${x}, '${e}')`);
    out.push(`tf.clip(${x}, 0, 1)`, `tf.clip(${x}, null, 1.5)`, `tf.axpy(${x}, t_float32, 2)`, `tf.axpy(${x}, 2, 3)`, `tf.sum(${x})`, `tf.mean(${x}, [], true)`, `tf.cumsum(${x})`, `tf.reshape(${x}, [-1])`, `tf.flip(${x})`, `tf.isclose(${x}, 1)`);
    if (!scalar) out.push(`tf.matmul(${x}, t_float32)`, `tf.sum(${x}, 0)`);
  }
  return out;
}

/** The static dtypes of each expression: a file of `export const r<i> = <expr>;` compiled against dist. */
function staticDTypes(exprs: readonly string[]): { sets: string[][]; diagnostics: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tf-dtype-types-'));
  const file = join(dir, 'cases.ts');
  const dist = join(import.meta.dirname, '..', 'dist', 'index.js');
  const header = [`import * as tf from ${JSON.stringify(dist)};`, `import type { Tensor } from ${JSON.stringify(dist)};`,
    ...DTYPES.map((d) => `declare const t_${d}: Tensor<'${d}'>;`), 'declare const n: number;',
    ...Object.entries(UNIONS).map(([name, { type }]) => `declare const ${name}: ${type};`)];
  writeFileSync(file, [...header, ...exprs.map((e, i) => `export const r${i} = ${e};`)].join('\n'));
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], skipLibCheck: true, lib: ['lib.es2022.d.ts'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  // Each diagnostic with the line it is on (the expression that does not type-check).
  const lines = source.text.split('\n');
  const diagnostics = ts.getPreEmitDiagnostics(program, source).map((d) =>
    `${lines[source.getLineAndCharacterOfPosition(d.start ?? 0).line]}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  const sets: string[][] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const decl = statement.declarationList.declarations[0]!;
    if (!/^r\d+$/.test(decl.name.getText(source))) continue; // the declared operands
    const type = checker.getTypeAtLocation(decl.name);
    const prop = checker.getPropertyOfType(type, 'dtype');
    if (!prop) { sets.push(['<not a tensor: ' + checker.typeToString(type) + '>']); continue; }
    const d = checker.getTypeOfSymbolAtLocation(prop, decl);
    const members = d.isUnion() ? d.types : [d];
    sets.push(members.filter((m) => m.isStringLiteral()).map((m) => (m as ts.StringLiteralType).value).sort());
  }
  return { sets, diagnostics };
}

/** The runtime dtype of each expression for each value of `n` and of the union operands it uses (undefined: a DTypeError when recorded). */
function runtimeDTypes(expr: string): (DType | undefined)[] {
  const tensors = Object.fromEntries(DTYPES.map((d) => [d, d === 'bool' ? tf.tensor([true, false, true]) : tf.tensor([1, 2, 3], { dtype: d })])) as Record<DType, Tensor>;
  const names = Object.keys(UNIONS);
  const f = new Function('tf', ...DTYPES.map((d) => `t_${d}`), 'n', ...names, `return ${expr};`) as (...a: unknown[]) => Tensor;
  // Every combination of the values of the union operands the expression uses (one run for the others).
  let runs: unknown[][] = [[]];
  for (const name of names) {
    const values = new RegExp(`\\b${name}\\b`).test(expr) ? UNIONS[name]!.values(tensors) : [undefined];
    runs = runs.flatMap((r) => values.map((v) => [...r, v]));
  }
  return (/\bn\b/.test(expr) ? N_VALUES : N_VALUES.slice(0, 1)).flatMap((n) => runs.map((r) => {
    try {
      return f(tf, ...DTYPES.map((d) => tensors[d]), n, ...r).dtype;
    } catch (e) {
      if (e instanceof tf.DTypeError) return undefined;
      throw new Error(`${expr} (n = ${n}): ${(e as Error).message}`);
    }
  }));
}

const unionIn = (expr: string): boolean => Object.keys(UNIONS).some((name) => new RegExp(`\\b${name}\\b`).test(expr));

/**
 * Every result type of `exprs` holds the dtype the runtime gives, exactly where the operands are typed:
 * the mismatches (none expected) and the compiler's diagnostics.
 */
export function checkTypes(exprs: readonly string[]): { diagnostics: string[]; wrong: string[] } {
  const { sets, diagnostics } = staticDTypes(exprs);
  if (sets.length !== exprs.length) throw new Error(`${sets.length} types for ${exprs.length} expressions`);
  const wrong: string[] = [];
  exprs.forEach((expr, i) => {
    const declared = sets[i]!;
    const runtime = runtimeDTypes(expr);
    const seen = [...new Set(runtime.filter((d) => d !== undefined))].sort();
    const refused = runtime.includes(undefined);
    // (An array of booleans may be empty at run time, a weak integer, which sub and neg take.)
    if (refused && declared.length > 0 && seen.length === 0 && !/\[true, /.test(expr)) wrong.push(`${expr}: refused at run time, typed ${declared.join(' | ')} (should be never)`);
    if (!refused && declared.length === 0) wrong.push(`${expr}: typed never, gives ${seen.join(' | ')}`);
    for (const d of seen) if (!declared.includes(d)) wrong.push(`${expr}: gives ${d}, typed ${declared.join(' | ') || 'never'}`);
    // Precise: an expression whose operands the types can see (typed tensors, literal numbers) has one
    // dtype, except positions (int32, or float64 past 2^31) and a `number` the types cannot see into.
    // (A JS array of numbers is a `number[]`: like `n`, integers or fractions; one of booleans may be empty.)
    const imprecise = /\bn\b/.test(expr) || unionIn(expr) || /\.slice\(\)/.test(expr) || /\[(0\.5|1|true), /.test(expr) || /\.(argmax|argmin)\(/.test(expr) || /1e10/.test(expr) || /(?<!tf)\.axpy\((?!t_)|tf\.axpy\([^,]+, (?!t_)/.test(expr); // axpy of two numbers: their product
    if (!imprecise && declared.length > 1 && !(expr.startsWith('tf.tensor([true'))) wrong.push(`${expr}: typed ${declared.join(' | ')}, one dtype expected`);
    // A `number` operand: the union of what an integer and a fraction give, nothing more.
    const onlyN = /\bn\b/.test(expr) && !unionIn(expr) && !/\[(0\.5|1|true), /.test(expr) && !/\.(argmax|argmin)\(|1e10|(?<!tf)\.axpy\((?!t_)|tf\.axpy\([^,]+, (?!t_)/.test(expr);
    if (onlyN && !refused && declared.join() !== seen.join()) wrong.push(`${expr}: typed ${declared.join(' | ')}, gives ${seen.join(' | ')} for n = ${N_VALUES.join(', ')}`);
  });
  return { diagnostics, wrong };
}
