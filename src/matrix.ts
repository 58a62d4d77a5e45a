/** Interop with ml-matrix (2-D, float64). */
import { Matrix } from 'ml-matrix';
import { TensorError } from './errors.js';
import type { Tensor } from './tensor.js';
import { tensor } from './create.js';
import { tensorArg } from './tensor.js';

/** An ml-matrix `Matrix` as a realized float64 tensor of shape [rows, columns]: `fromMatrix(new Matrix([[1, 2], [3, 4]]))`. */
export function fromMatrix(m: Matrix): Tensor<'float64'> {
  if (!Matrix.isMatrix(m)) throw new TensorError('fromMatrix: expected an ml-matrix Matrix');
  return tensor(Float64Array.from(m.to1DArray()), { shape: [m.rows, m.columns] });
}

/** A 2-D tensor as an ml-matrix `Matrix` (float64), as `t.toMatrix()`: `toMatrix(eye(2)).to2DArray()` is `[[1, 0], [0, 1]]`. */
export function toMatrix(t: Tensor): Matrix {
  return tensorArg('toMatrix', t).toMatrix();
}
