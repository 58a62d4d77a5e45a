/** Interop with ml-matrix (2-D, float64). */
import { Matrix } from 'ml-matrix';
import { TensorError } from './errors.js';
import type { Tensor } from './tensor.js';
import { tensor } from './create.js';
import { tensorArg } from './tensor.js';

export function fromMatrix(m: Matrix): Tensor {
  if (!Matrix.isMatrix(m)) throw new TensorError('fromMatrix: expected an ml-matrix Matrix');
  return tensor(Float64Array.from(m.to1DArray()), { shape: [m.rows, m.columns] });
}

export function toMatrix(t: Tensor): Matrix {
  return tensorArg('toMatrix', t).toMatrix();
}
