/**
 * The shapes of the op table's entries (ops.ts): what each kind of primitive tells the reference
 * interpreter, the scheduler, the C code generator, autodiff and the property tests, and the kinds that
 * are kernels of their own. Only types and one constant: the entries themselves are in ops.ts.
 */
import type { DType, Storage } from './dtype.js';
import type { Node } from './graph.js';
import type { Fold } from './reduction.js';
import type { ScanOf } from './scanops.js';
import type { Tensor } from './tensor.js';

/** What a C template knows: the compute dtype, its C type and the libm suffix (`expf` vs `exp`). */
export interface CCtx {
  dtype: DType;
  out: DType;
  src: readonly DType[];
  T: string;
  f: '' | 'f';
  /** The suffix of the 32-bit integer helpers the compute dtype uses (tf_mod_i32, tf_mod_u32): DTypeInfo.int32. */
  i: 'i32' | 'u32';
}

/** Given the dtypes of the operands, the dtype each is cast to and the dtype of the result. */
export type DTypeRule = (op: string, ds: readonly DType[]) => { ins: DType[]; out: DType };

type Num = number;

/**
 * Reverse-mode derivative of a primitive (autodiff.ts): given the cotangent `g` of its result (the
 * node's shape and dtype), the cotangent of each source, written with tensor ops so that the backward
 * pass is a lazy graph like any other (it fuses, and differentiates again). `x` are the node's sources
 * and `out` the node itself, as tensors. An entry (undefined) for a source means no contribution;
 * sources that are not float, or that no differentiated input reaches, are never asked for.
 * `'zero'`: the derivative is zero wherever it exists (piecewise-constant ops, comparisons, argmax).
 */
export type Vjp = ((g: Tensor, x: readonly Tensor[], out: Tensor, node: Node) => readonly (Tensor | undefined)[]) | 'zero';

/** Every entry with sources says how it differentiates (test/autodiff.test.ts checks the table). */
interface Differentiable {
  vjp?: Vjp;
}

export interface ElementwiseDef extends Differentiable {
  kind: 'elementwise';
  arity: 1 | 2 | 3;
  dtypes: DTypeRule;
  /**
   * Operands before this index keep their own dtype instead of promoting with the others, weak
   * scalars included (where's condition); default 0: every operand promotes.
   */
  promoteFrom?: number;
  /** Semantics on doubles; the result is rounded to the output dtype afterwards. */
  ref: (a: Num, b: Num, c: Num) => Num;
  /** Semantics on int32 when they differ from `ref` (wrapping, floored division). */
  refInt?: (a: Num, b: Num, c: Num) => Num;
  c: (x: readonly string[], t: CCtx) => string;
  cInt?: (x: readonly string[], t: CCtx) => string;
  /** The C expression is already 0/1 (comparisons, logic); otherwise a bool result is `!= 0`-normalized. */
  cIsBool?: boolean;
  /** C helper functions this op's template calls (per compute dtype when a function). */
  helpers?: string | ((t: CCtx) => string);
  /**
   * Declarations of the libm functions the float template calls that glibc's libmvec has vector
   * versions of: the program declares them `omp declare simd` (math.h does so only under -ffast-math),
   * or gcc calls the scalar function once per element (a float32 atan 16× slower).
   */
  libmvec?: (t: CCtx) => readonly string[];
  /** Range the property tests draw each operand from (specials like NaN, ±Inf, -0 are added too). */
  domain?: readonly (readonly [number, number])[];
  /** Allowed error of a float result, in units in the last place, against the reference. */
  ulps: number;
  /**
   * Relative cost per element (default 1): a value this expensive is stored rather than recomputed for
   * every element of a broadcast (fusion rule 3).
   */
  cost?: number;
  /**
   * For an op whose result in dtype `d` does not depend on the order of its steps (wrapping int add and
   * mul, max and min, or, and), the C value `e` with op(e, a) = a: a scatter combining with it may then
   * fold parts of its positions separately and merge them (see scatterBody). Undefined otherwise.
   */
  identity?: (d: DType) => string | undefined;
  /**
   * What a scatter combining with this op (`x.at(i).assign(v, { op })`) folds at each position, for its
   * derivative (indexing.ts): a sum (every value counts once), a product, or an extreme (max, min: the
   * winners share). Undefined: the assignment has no derivative through an index.
   */
  scatterFold?: 'sum' | 'product' | 'extreme';
}

export interface ReduceDef extends Differentiable {
  kind: 'reduce';
  /**
   * dtype of the result for an input dtype (bools are cast to int32 first where `boolAsInt`) and the
   * number of elements reduced into each result.
   */
  out: (d: DType, extent: number) => DType;
  /** Result of reducing nothing, or undefined when that is an error (max of nothing). */
  empty?: number;
  /**
   * The reduction of the elements in `xs` (row-major order of the reduced axes), for reductions whose
   * result does not depend on the order of the steps (integer sums, max, argmax, ...).
   */
  ref?: (xs: readonly number[], d: DType) => number;
  /**
   * For a dtype where the order of the steps changes the result (float sum, prod): the accumulator as
   * the C code keeps it, so the reference folds in the C backend's order (reduction.ts) to the same bits.
   */
  fold?: (d: DType) => Fold | undefined;
  /**
   * C: declarations of the accumulator `acc` (and anything else), one step over element `x` at
   * position `k` within the reduced axes, and the value stored.
   */
  cInit: (t: CCtx) => string;
  cStep: (t: CCtx) => string;
  cResult: (t: CCtx) => string;
  /**
   * C: merges another accumulator, its variables named with the suffix `_o`, into this one. With it, the
   * C code keeps vector lanes and splits a reduction to one value into chunks (reduction.ts).
   */
  cMerge?: (t: CCtx) => string;
  /**
   * The OpenMP reduction operator of its fold where every order of the steps gives the same result
   * (integer sums and products in 64 bits, integer and bool max/min): there the fold needs no lanes
   * (reduction.ts), and the C loop is `omp simd reduction(op:acc)`, vectorized as the compiler likes.
   * Undefined for dtypes whose result depends on the order (float sums round).
   */
  orderFree?: (d: DType) => '+' | '*' | 'max' | 'min' | undefined;
  /** The result is a position within the reduced axes (argmax): over no axes it is 0, not the input. */
  positional?: boolean;
  /** Bools are counted as int32 (sum, prod), instead of reduced as bools (max: any, min: all). */
  boolAsInt?: boolean;
  ulps: number;
}

/** What the code generator offers an op's C hook. */
export interface CGen {
  /** The C expression of `n` at the multi-index `idx` (fused, or loaded if `n` is stored). */
  at(n: Node, idx: readonly string[]): string;
  /** Whether `n` lives in a buffer (input, output or temporary). */
  stored(n: Node): boolean;
  /** A load from stored node `n` at flat offset `flat`. */
  load(n: Node, flat: string): string;
  /** Flat offset of `idx` in a contiguous array of `shape` (in a flat kernel, the loop index). */
  flat(idx: readonly string[], shape: readonly number[]): string;
  /** The C name of the runtime scalar slot of a `const` or `rand` node. */
  scalar(n: Node): string;
  /**
   * Index value `i` (any integer C expression) of gather or scatter `n` into an axis of `size`: negative
   * counts from the end; a value outside [-size, size) reads element 0 instead and makes the call fail
   * with a TensorError (no out-of-bounds access in C).
   */
  bounded(i: string, size: number, n: Node): string;
  /** C type of a dtype. */
  T(d: DType): string;
}

/**
 * What a structural node is to the scheduler, the code generator and the Tensor API, beyond its kind
 * (read through isBuffer, isConst, isView and isCopy below, never by comparing op names):
 *  - 'input': a realized buffer, the only node that holds data: an argument of the program;
 *  - 'scalar': a constant, whose value is a runtime scalar slot: copied at each use (so the C does not
 *    depend on the numbers), read through views for free, folded while recording;
 *  - 'view': its one source read at other positions (arg: a View): index arithmetic, nothing computed;
 *  - 'copy': a realization boundary (contiguous()): stored where it stands, a copy kernel ('C') of its own.
 */
export type Role = 'input' | 'scalar' | 'view' | 'copy';

/** Sources, movement, matmul and scatter: anything whose reference is a whole-array function. */
export interface SpecialDef extends Differentiable {
  /** `scatter` is a kernel of its own: the C writer walks its positions in order (see scatterBody). */
  kind: 'source' | 'movement' | 'matmul' | 'scatter';
  role?: Role;
  evaluate: (node: Node, inputs: readonly Storage[]) => Storage;
  /** The node's value at multi-index `idx` as a C expression (sources and movement). */
  c?: (node: Node, idx: readonly string[], g: CGen) => string;
  /** C helper functions this op's expression calls (each its own entry: another op may need one of them too). */
  helpers?: string | readonly string[];
  /** Relative cost of computing one element (default 0: index arithmetic, a load). */
  cost?: number;
  /** Reads its sources at positions other than its own (pad, gather): its kernel is a loop nest, not one flat loop. */
  reindexes?: boolean;
  /**
   * Reads source 0 at positions taken from the values of its other sources, checking them (gather): it
   * is computed whole where something reads only part of it, so that every index is checked.
   */
  checksIndices?: boolean;
  /** Reads source 0 whole, at positions it finds by itself (a binary search): source 0 is stored. */
  searches?: boolean;
  /** A random source: its arg is a seed, passed to C as the stream's key in a runtime scalar slot. */
  seeded?: boolean;
  /** A matmul-kind op's loop nest in C: the blocked matmul (default) or direct convolution loops (codegen/conv.ts). */
  nest?: 'conv';
  /**
   * Its C reads axis 0 of the multi-index it is computed at (iota): a kernel over more than one dim that
   * computes it cannot be one flat loop, whose single index is not that axis.
   */
  readsAxis0?: boolean;
  /** Multiply-adds per element of the result (matmul: the shared dim), where more than one: the work format.ts's cheap() counts. */
  madds?: (n: Node) => number;
  ulps: number;
}

/** A user kernel (defineKernel): a whole C function over contiguous input buffers, writing one output. */
export interface KernelDef extends Differentiable {
  kind: 'kernel';
  evaluate: (node: Node, inputs: readonly Storage[]) => Storage;
  /** The C function (static), defined once per dtype signature; called as `name(in0, n0, ..., out, n)`. */
  cFunction: (node: Node) => { name: string; text: string };
  ulps: number;
}

/**
 * A scan (cumsum): each output folds its line's elements up to it along `arg.axis`, in order, with the
 * accumulator of reduction `of` (its C templates and dtype rule); scanops.ts gives the order.
 */
export interface ScanDef extends Differentiable {
  kind: 'scan';
  of: ScanOf;
  /** The accumulator's C, where it is not the reduction's (for a dtype; undefined: the reduction's). */
  accumulator?: (t: CCtx) => Pick<ReduceDef, 'cInit' | 'cStep' | 'cResult' | 'cMerge'> | undefined;
  evaluate: (node: Node, inputs: readonly Storage[]) => Storage;
  ulps: number;
}

/** A sort along the last axis, a kernel of its own (codegen/sort.ts): argsort's positions. */
export interface SortDef extends Differentiable {
  kind: 'sort';
  evaluate: (node: Node, inputs: readonly Storage[]) => Storage;
  ulps: number;
}

export type OpDef = ElementwiseDef | ReduceDef | SpecialDef | KernelDef | ScanDef | SortDef;

/**
 * The kinds of op that are kernels of their own, with the letter their kernels are named by: their
 * result is stored (or, for those that take an epilogue, computed inside the kernel of the elementwise
 * consumer it is the epilogue of); everything else fuses into the loops of whatever reads it.
 */
export const OWN_KERNEL: Partial<Record<OpDef['kind'], { letter: string; epilogue: boolean }>> = {
  reduce: { letter: 'R', epilogue: true },
  matmul: { letter: 'M', epilogue: true },
  scan: { letter: 'P', epilogue: true },
  kernel: { letter: 'K', epilogue: false },
  scatter: { letter: 'S', epilogue: false },
  sort: { letter: 'O', epilogue: false },
};
