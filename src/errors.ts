/**
 * Every error tensorfuse raises on purpose is a TensorError. Messages name the op that was called,
 * what it was called with, and what would work.
 */
export class TensorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Incompatible or invalid shapes, axes, dims and indices. */
export class ShapeError extends TensorError {}

/** Unknown dtypes, or dtypes an op does not accept. */
export class DTypeError extends TensorError {}

/** The C compiler rejected generated or user-written C. */
export class CompileError extends TensorError {
  constructor(
    message: string,
    readonly stderr: string,
    readonly cPath: string,
  ) {
    super(message);
  }
}

/** No working C compiler was found (see `CC`). */
export class CompilerNotFoundError extends TensorError {}

/** The kernel cache directory is unusable (permissions, disk). */
export class CacheError extends TensorError {}
