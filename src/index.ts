// numeric.ts and shape-helpers.ts add Tensor methods (logsumexp, norm, split, roll, ...) when loaded.
import './numeric.js';
import './shape-helpers.js';
export { Tensor, where, concat, stack, evalAll, tidy } from './tensor.js';
export type { Operand, NestedArray } from './tensor.js';
export { tensor, full, zeros, ones, zerosLike, onesLike, arange, linspace, logspace, eye, rand, randn } from './create.js';
export { diag, outer, meshgrid } from './shape-helpers.js';
export type { PadMode, PadOptions } from './padding.js';
export type { IsCloseOptions, NormOrd } from './numeric.js';
// Function forms of the methods: exp(x), add(a, b), sum(x, axis), ...
export * from './functions.js';
export type { RandOptions } from './create.js';
export { jit } from './jit.js';
export type { JitOptions } from './jit.js';
export { defineOp, defineKernel } from './custom.js';
export type { OpSpec, KernelSpec } from './custom.js';
export { fromMatrix, toMatrix } from './matrix.js';
export { configure, config } from './config.js';
export type { Config } from './config.js';
export { stats } from './stats.js';
export type { Stats } from './stats.js';
export type { EvalOptions } from './realize.js';
export type { DType, Storage } from './dtype.js';
export { DTYPES } from './dtype.js';
export { TensorError, ShapeError, DTypeError, CompileError, CompilerNotFoundError, CacheError } from './errors.js';
export { OPS } from './ops.js';
