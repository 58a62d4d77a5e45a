/**
 * The shape and creation helpers of issue 15 (shape-helpers.ts), pinned to numpy 1.24's answers (the
 * comment above each row is the numpy expression; numpy's arange is int64 where ours is int32, so
 * values and shapes are compared, dtypes separately). Run on the reference and on C (fused).
 */
import { describe, expect, it } from 'vitest';
import type { NestedArray, Tensor } from '../src/index.js';
import { ShapeError, TensorError, arange, diag, evalAll, logspace, meshgrid, outer, tensor, zeros } from '../src/index.js';
import { expectValues } from './helpers.js';

const flat = (x: NestedArray): number[] => (Array.isArray(x) ? x.flatMap(flat) : [Number(x)]);

const ROWS: [string, () => Tensor, number[], NestedArray][] = [
  // numpy: np.split(m, 2, axis=1)[0]
  ['arange(12).reshape([3, 4]).split(2, 1)[0]', () => arange(12).reshape([3, 4]).split(2, 1)[0], [3, 2], [[0, 1], [4, 5], [8, 9]]],
  // numpy: np.split(m, 2, axis=1)[1]
  ['arange(12).reshape([3, 4]).split(2, 1)[1]', () => arange(12).reshape([3, 4]).split(2, 1)[1], [3, 2], [[2, 3], [6, 7], [10, 11]]],
  // numpy: np.split(np.arange(10), [2, 5, -1])[0]
  ['arange(10).split([2, 5, -1])[0]', () => arange(10).split([2, 5, -1])[0], [2], [0, 1]],
  // numpy: np.split(np.arange(10), [2, 5, -1])[1]
  ['arange(10).split([2, 5, -1])[1]', () => arange(10).split([2, 5, -1])[1], [3], [2, 3, 4]],
  // numpy: np.split(np.arange(10), [2, 5, -1])[2]
  ['arange(10).split([2, 5, -1])[2]', () => arange(10).split([2, 5, -1])[2], [4], [5, 6, 7, 8]],
  // numpy: np.split(np.arange(10), [2, 5, -1])[3]
  ['arange(10).split([2, 5, -1])[3]', () => arange(10).split([2, 5, -1])[3], [1], [9]],
  // numpy: np.split(np.arange(6), [4, 2, 9])[0] (decreasing and past the end: empty pieces)
  ['arange(6).split([4, 2, 9])[0]', () => arange(6).split([4, 2, 9])[0], [4], [0, 1, 2, 3]],
  // numpy: np.split(np.arange(6), [4, 2, 9])[1] (decreasing and past the end: empty pieces)
  ['arange(6).split([4, 2, 9])[1]', () => arange(6).split([4, 2, 9])[1], [0], []],
  // numpy: np.split(np.arange(6), [4, 2, 9])[2] (decreasing and past the end: empty pieces)
  ['arange(6).split([4, 2, 9])[2]', () => arange(6).split([4, 2, 9])[2], [4], [2, 3, 4, 5]],
  // numpy: np.split(np.arange(6), [4, 2, 9])[3] (decreasing and past the end: empty pieces)
  ['arange(6).split([4, 2, 9])[3]', () => arange(6).split([4, 2, 9])[3], [0], []],
  // numpy: np.tile(v, 2)
  ["tensor([1, 2, 3]).cast('int32').tile(2)", () => tensor([1, 2, 3]).cast('int32').tile(2), [6], [1, 2, 3, 1, 2, 3]],
  // numpy: np.tile(v, (2, 2))
  ["tensor([1, 2, 3]).cast('int32').tile([2, 2])", () => tensor([1, 2, 3]).cast('int32').tile([2, 2]), [2, 6], [[1, 2, 3, 1, 2, 3], [1, 2, 3, 1, 2, 3]]],
  // numpy: np.tile(m, (2, 1, 2))
  ['arange(12).reshape([3, 4]).tile([2, 1, 2])', () => arange(12).reshape([3, 4]).tile([2, 1, 2]), [2, 3, 8], [[[0, 1, 2, 3, 0, 1, 2, 3], [4, 5, 6, 7, 4, 5, 6, 7], [8, 9, 10, 11, 8, 9, 10, 11]], [[0, 1, 2, 3, 0, 1, 2, 3], [4, 5, 6, 7, 4, 5, 6, 7], [8, 9, 10, 11, 8, 9, 10, 11]]]],
  // numpy: np.tile(m, 0)
  ['arange(12).reshape([3, 4]).tile(0)', () => arange(12).reshape([3, 4]).tile(0), [3, 0], [[], [], []]],
  // numpy: np.repeat(v, 2)
  ["tensor([1, 2, 3]).cast('int32').repeat(2)", () => tensor([1, 2, 3]).cast('int32').repeat(2), [6], [1, 1, 2, 2, 3, 3]],
  // numpy: np.repeat(m, 2, axis=0)
  ['arange(12).reshape([3, 4]).repeat(2, 0)', () => arange(12).reshape([3, 4]).repeat(2, 0), [6, 4], [[0, 1, 2, 3], [0, 1, 2, 3], [4, 5, 6, 7], [4, 5, 6, 7], [8, 9, 10, 11], [8, 9, 10, 11]]],
  // numpy: np.repeat(m, 3, axis=-1)
  ['arange(12).reshape([3, 4]).repeat(3, -1)', () => arange(12).reshape([3, 4]).repeat(3, -1), [3, 12], [[0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], [4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7], [8, 8, 8, 9, 9, 9, 10, 10, 10, 11, 11, 11]]],
  // numpy: np.repeat(m, 2) (flattened)
  ['arange(12).reshape([3, 4]).repeat(2)', () => arange(12).reshape([3, 4]).repeat(2), [24], [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11]],
  // numpy: np.roll(np.arange(10), 3)
  ['arange(10).roll(3)', () => arange(10).roll(3), [10], [7, 8, 9, 0, 1, 2, 3, 4, 5, 6]],
  // numpy: np.roll(np.arange(10), -13)
  ['arange(10).roll(-13)', () => arange(10).roll(-13), [10], [3, 4, 5, 6, 7, 8, 9, 0, 1, 2]],
  // numpy: np.roll(m, 1)
  ['arange(12).reshape([3, 4]).roll(1)', () => arange(12).reshape([3, 4]).roll(1), [3, 4], [[11, 0, 1, 2], [3, 4, 5, 6], [7, 8, 9, 10]]],
  // numpy: np.roll(m, 1, axis=0)
  ['arange(12).reshape([3, 4]).roll(1, 0)', () => arange(12).reshape([3, 4]).roll(1, 0), [3, 4], [[8, 9, 10, 11], [0, 1, 2, 3], [4, 5, 6, 7]]],
  // numpy: np.roll(m, (1, -1), axis=(0, 1))
  ['arange(12).reshape([3, 4]).roll([1, -1], [0, 1])', () => arange(12).reshape([3, 4]).roll([1, -1], [0, 1]), [3, 4], [[9, 10, 11, 8], [1, 2, 3, 0], [5, 6, 7, 4]]],
  // numpy: np.roll(m, (2, 3), axis=(1, 1))
  ['arange(12).reshape([3, 4]).roll([2, 3], [1, 1])', () => arange(12).reshape([3, 4]).roll([2, 3], [1, 1]), [3, 4], [[3, 0, 1, 2], [7, 4, 5, 6], [11, 8, 9, 10]]],
  // numpy: np.swapaxes(c, 0, 2)
  ['arange(24).reshape([2, 3, 4]).swapaxes(0, 2)', () => arange(24).reshape([2, 3, 4]).swapaxes(0, 2), [4, 3, 2], [[[0, 12], [4, 16], [8, 20]], [[1, 13], [5, 17], [9, 21]], [[2, 14], [6, 18], [10, 22]], [[3, 15], [7, 19], [11, 23]]]],
  // numpy: np.moveaxis(c, 0, -1)
  ['arange(24).reshape([2, 3, 4]).moveaxis(0, -1)', () => arange(24).reshape([2, 3, 4]).moveaxis(0, -1), [3, 4, 2], [[[0, 12], [1, 13], [2, 14], [3, 15]], [[4, 16], [5, 17], [6, 18], [7, 19]], [[8, 20], [9, 21], [10, 22], [11, 23]]]],
  // numpy: np.moveaxis(c, [0, 1], [-1, -2])
  ['arange(24).reshape([2, 3, 4]).moveaxis([0, 1], [-1, -2])', () => arange(24).reshape([2, 3, 4]).moveaxis([0, 1], [-1, -2]), [4, 3, 2], [[[0, 12], [4, 16], [8, 20]], [[1, 13], [5, 17], [9, 21]], [[2, 14], [6, 18], [10, 22]], [[3, 15], [7, 19], [11, 23]]]],
  // numpy: np.diagonal(m)
  ['arange(12).reshape([3, 4]).diagonal()', () => arange(12).reshape([3, 4]).diagonal(), [3], [0, 5, 10]],
  // numpy: np.diagonal(m, 1)
  ['arange(12).reshape([3, 4]).diagonal(1)', () => arange(12).reshape([3, 4]).diagonal(1), [3], [1, 6, 11]],
  // numpy: np.diagonal(m, -1)
  ['arange(12).reshape([3, 4]).diagonal(-1)', () => arange(12).reshape([3, 4]).diagonal(-1), [2], [4, 9]],
  // numpy: np.diagonal(m, 5)
  ['arange(12).reshape([3, 4]).diagonal(5)', () => arange(12).reshape([3, 4]).diagonal(5), [0], []],
  // numpy: np.diagonal(c, 0, 1, 2)
  ['arange(24).reshape([2, 3, 4]).diagonal(0, 1, 2)', () => arange(24).reshape([2, 3, 4]).diagonal(0, 1, 2), [2, 3], [[0, 5, 10], [12, 17, 22]]],
  // numpy: np.diagonal(c, 1, 2, 0)
  ['arange(24).reshape([2, 3, 4]).diagonal(1, 2, 0)', () => arange(24).reshape([2, 3, 4]).diagonal(1, 2, 0), [3, 1], [[12], [16], [20]]],
  // numpy: np.diagonal(m.T[::-1], 1) (a view of a view)
  ['arange(12).reshape([3, 4]).T.flip(0).diagonal(1)', () => arange(12).reshape([3, 4]).T.flip(0).diagonal(1), [2], [7, 10]],
  // numpy: np.trace(m) (as float64: sums of ints are float64 here)
  ['arange(12).reshape([3, 4]).trace()', () => arange(12).reshape([3, 4]).trace(), [], 15],
  // numpy: np.trace(c, 1, 1, 2)
  ['arange(24).reshape([2, 3, 4]).trace(1, 1, 2)', () => arange(24).reshape([2, 3, 4]).trace(1, 1, 2), [2], [18, 54]],
  // numpy: np.tril(m)
  ['arange(12).reshape([3, 4]).tril()', () => arange(12).reshape([3, 4]).tril(), [3, 4], [[0, 0, 0, 0], [4, 5, 0, 0], [8, 9, 10, 0]]],
  // numpy: np.tril(m, -1)
  ['arange(12).reshape([3, 4]).tril(-1)', () => arange(12).reshape([3, 4]).tril(-1), [3, 4], [[0, 0, 0, 0], [4, 0, 0, 0], [8, 9, 0, 0]]],
  // numpy: np.triu(m, 1)
  ['arange(12).reshape([3, 4]).triu(1)', () => arange(12).reshape([3, 4]).triu(1), [3, 4], [[0, 1, 2, 3], [0, 0, 6, 7], [0, 0, 0, 11]]],
  // numpy: np.triu(c)
  ['arange(24).reshape([2, 3, 4]).triu()', () => arange(24).reshape([2, 3, 4]).triu(), [2, 3, 4], [[[0, 1, 2, 3], [0, 5, 6, 7], [0, 0, 10, 11]], [[12, 13, 14, 15], [0, 17, 18, 19], [0, 0, 22, 23]]]],
  // numpy: np.tril(v)
  ["tensor([1, 2, 3]).cast('int32').tril()", () => tensor([1, 2, 3]).cast('int32').tril(), [3, 3], [[1, 0, 0], [1, 2, 0], [1, 2, 3]]],
  // numpy: np.diag(v)
  ["diag(tensor([1, 2, 3]).cast('int32'))", () => diag(tensor([1, 2, 3]).cast('int32')), [3, 3], [[1, 0, 0], [0, 2, 0], [0, 0, 3]]],
  // numpy: np.diag(v, 1)
  ["diag(tensor([1, 2, 3]).cast('int32'), 1)", () => diag(tensor([1, 2, 3]).cast('int32'), 1), [4, 4], [[0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 3], [0, 0, 0, 0]]],
  // numpy: np.diag(v, -2)
  ["diag(tensor([1, 2, 3]).cast('int32'), -2)", () => diag(tensor([1, 2, 3]).cast('int32'), -2), [5, 5], [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0]]],
  // numpy: np.diag(m, 1)
  ['diag(arange(12).reshape([3, 4]), 1)', () => diag(arange(12).reshape([3, 4]), 1), [3], [1, 6, 11]],
  // numpy: np.outer(v, [1, 10])
  ["outer(tensor([1, 2, 3]).cast('int32'), tensor([1, 10]).cast('int32'))", () => outer(tensor([1, 2, 3]).cast('int32'), tensor([1, 10]).cast('int32')), [3, 2], [[1, 10], [2, 20], [3, 30]]],
  // numpy: np.outer(m[:2, :2], v) (flattened)
  ["outer(arange(12).reshape([3, 4]).slice([0, 0], [2, 2]), tensor([1, 2, 3]).cast('int32'))", () => outer(arange(12).reshape([3, 4]).slice([0, 0], [2, 2]), tensor([1, 2, 3]).cast('int32')), [4, 3], [[0, 0, 0], [1, 2, 3], [4, 8, 12], [5, 10, 15]]],
  // numpy: np.outer(False, [True]), np.outer([1, 2], [3]) (a scalar or an array first: found by the API fuzz, a TypeError before)
  ['outer(false, tensor([true]))', () => outer(false, tensor([true])), [1, 1], [[false]]],
  ['outer([1, 2], [3])', () => outer([1, 2], [3]), [2, 1], [[3], [6]]],
  // numpy: np.meshgrid(np.arange(3), np.arange(2))[0]
  ['meshgrid([arange(3), arange(2)])[0]', () => meshgrid([arange(3), arange(2)])[0], [2, 3], [[0, 1, 2], [0, 1, 2]]],
  // numpy: np.meshgrid(np.arange(3), np.arange(2))[1]
  ['meshgrid([arange(3), arange(2)])[1]', () => meshgrid([arange(3), arange(2)])[1], [2, 3], [[0, 0, 0], [1, 1, 1]]],
  // numpy: np.meshgrid(np.arange(3), np.arange(2), np.arange(2), indexing='ij')[1]
  ["meshgrid([arange(3), arange(2), arange(2)], { indexing: 'ij' })[1]", () => meshgrid([arange(3), arange(2), arange(2)], { indexing: 'ij' })[1], [3, 2, 2], [[[0, 0], [1, 1]], [[0, 0], [1, 1]], [[0, 0], [1, 1]]]],
  // numpy: np.meshgrid(np.arange(3), np.arange(2), np.arange(4))[2]
  ['meshgrid([arange(3), arange(2), arange(4)])[2]', () => meshgrid([arange(3), arange(2), arange(4)])[2], [2, 3, 4], [[[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]], [[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]]]],
  // numpy: np.logspace(0, 3, 4)
  ['logspace(0, 3, 4)', () => logspace(0, 3, 4), [4], [1, 10, 100, 1000]],
  // numpy: np.logspace(-1, 2, 5, base=2)
  ['logspace(-1, 2, 5, 2)', () => logspace(-1, 2, 5, 2), [5], [0.5, 0.8408964152537145, 1.4142135623730951, 2.378414230005442, 4]],
  // numpy: np.pad([1, 2, 3], (2, 3), 'edge')
  ["tensor([1, 2, 3]).cast('int32').pad([[2, 3]], { mode: 'edge' })", () => tensor([1, 2, 3]).cast('int32').pad([[2, 3]], { mode: 'edge' }), [8], [1, 1, 1, 2, 3, 3, 3, 3]],
  // numpy: np.pad([1, 2, 3], (7, 8), 'edge') (wider than the axis)
  ["tensor([1, 2, 3]).cast('int32').pad([[7, 8]], { mode: 'edge' })", () => tensor([1, 2, 3]).cast('int32').pad([[7, 8]], { mode: 'edge' }), [18], [1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3]],
  // numpy: np.pad(m, ((1, 2), (3, 1)), 'edge')
  ["arange(12).reshape([3, 4]).pad([[1, 2], [3, 1]], { mode: 'edge' })", () => arange(12).reshape([3, 4]).pad([[1, 2], [3, 1]], { mode: 'edge' }), [6, 8], [[0, 0, 0, 0, 1, 2, 3, 3], [0, 0, 0, 0, 1, 2, 3, 3], [4, 4, 4, 4, 5, 6, 7, 7], [8, 8, 8, 8, 9, 10, 11, 11], [8, 8, 8, 8, 9, 10, 11, 11], [8, 8, 8, 8, 9, 10, 11, 11]]],
  // numpy: np.pad([1, 2, 3], (2, 3), 'reflect')
  ["tensor([1, 2, 3]).cast('int32').pad([[2, 3]], { mode: 'reflect' })", () => tensor([1, 2, 3]).cast('int32').pad([[2, 3]], { mode: 'reflect' }), [8], [3, 2, 1, 2, 3, 2, 1, 2]],
  // numpy: np.pad([1, 2, 3], (7, 8), 'reflect') (wider than the axis)
  ["tensor([1, 2, 3]).cast('int32').pad([[7, 8]], { mode: 'reflect' })", () => tensor([1, 2, 3]).cast('int32').pad([[7, 8]], { mode: 'reflect' }), [18], [2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3]],
  // numpy: np.pad(m, ((1, 2), (3, 1)), 'reflect')
  ["arange(12).reshape([3, 4]).pad([[1, 2], [3, 1]], { mode: 'reflect' })", () => arange(12).reshape([3, 4]).pad([[1, 2], [3, 1]], { mode: 'reflect' }), [6, 8], [[7, 6, 5, 4, 5, 6, 7, 6], [3, 2, 1, 0, 1, 2, 3, 2], [7, 6, 5, 4, 5, 6, 7, 6], [11, 10, 9, 8, 9, 10, 11, 10], [7, 6, 5, 4, 5, 6, 7, 6], [3, 2, 1, 0, 1, 2, 3, 2]]],
  // numpy: np.pad([1, 2, 3], (2, 3), 'symmetric')
  ["tensor([1, 2, 3]).cast('int32').pad([[2, 3]], { mode: 'symmetric' })", () => tensor([1, 2, 3]).cast('int32').pad([[2, 3]], { mode: 'symmetric' }), [8], [2, 1, 1, 2, 3, 3, 2, 1]],
  // numpy: np.pad([1, 2, 3], (7, 8), 'symmetric') (wider than the axis)
  ["tensor([1, 2, 3]).cast('int32').pad([[7, 8]], { mode: 'symmetric' })", () => tensor([1, 2, 3]).cast('int32').pad([[7, 8]], { mode: 'symmetric' }), [18], [1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2]],
  // numpy: np.pad(m, ((1, 2), (3, 1)), 'symmetric')
  ["arange(12).reshape([3, 4]).pad([[1, 2], [3, 1]], { mode: 'symmetric' })", () => arange(12).reshape([3, 4]).pad([[1, 2], [3, 1]], { mode: 'symmetric' }), [6, 8], [[2, 1, 0, 0, 1, 2, 3, 3], [2, 1, 0, 0, 1, 2, 3, 3], [6, 5, 4, 4, 5, 6, 7, 7], [10, 9, 8, 8, 9, 10, 11, 11], [10, 9, 8, 8, 9, 10, 11, 11], [6, 5, 4, 4, 5, 6, 7, 7]]],
  // numpy: np.pad([1, 2, 3], (2, 3), 'wrap')
  ["tensor([1, 2, 3]).cast('int32').pad([[2, 3]], { mode: 'wrap' })", () => tensor([1, 2, 3]).cast('int32').pad([[2, 3]], { mode: 'wrap' }), [8], [2, 3, 1, 2, 3, 1, 2, 3]],
  // numpy: np.pad([1, 2, 3], (7, 8), 'wrap') (wider than the axis)
  ["tensor([1, 2, 3]).cast('int32').pad([[7, 8]], { mode: 'wrap' })", () => tensor([1, 2, 3]).cast('int32').pad([[7, 8]], { mode: 'wrap' }), [18], [3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2]],
  // numpy: np.pad(m, ((1, 2), (3, 1)), 'wrap')
  ["arange(12).reshape([3, 4]).pad([[1, 2], [3, 1]], { mode: 'wrap' })", () => arange(12).reshape([3, 4]).pad([[1, 2], [3, 1]], { mode: 'wrap' }), [6, 8], [[9, 10, 11, 8, 9, 10, 11, 8], [1, 2, 3, 0, 1, 2, 3, 0], [5, 6, 7, 4, 5, 6, 7, 4], [9, 10, 11, 8, 9, 10, 11, 8], [1, 2, 3, 0, 1, 2, 3, 0], [5, 6, 7, 4, 5, 6, 7, 4]]],
  // numpy: np.pad([5], (2, 3), 'reflect') (one element)
  ["tensor([5]).cast('int32').pad([[2, 3]], { mode: 'reflect' })", () => tensor([5]).cast('int32').pad([[2, 3]], { mode: 'reflect' }), [6], [5, 5, 5, 5, 5, 5]],
  // numpy: np.pad([5], (2, 1), 'symmetric')
  ["tensor([5]).cast('int32').pad([[2, 1]], { mode: 'symmetric' })", () => tensor([5]).cast('int32').pad([[2, 1]], { mode: 'symmetric' }), [4], [5, 5, 5, 5]],
  // numpy: np.pad(m, 1, constant_values=-1) (options form of constant)
  ['arange(12).reshape([3, 4]).pad([[1, 1]], { value: -1 })', () => arange(12).reshape([3, 4]).pad([[1, 1]], { value: -1 }), [5, 6], [[-1, -1, -1, -1, -1, -1], [-1, 0, 1, 2, 3, -1], [-1, 4, 5, 6, 7, -1], [-1, 8, 9, 10, 11, -1], [-1, -1, -1, -1, -1, -1]]],
];

describe('shape helpers pinned to numpy', () => {
  it.each(ROWS.map((r) => [r[0], r] as const))('%s', (label, [, f, shape, want]) => {
    const t = f();
    expect(t.shape).toEqual(shape);
    const ulps = label.startsWith('logspace') ? 4 : 0; // pow: the last bit differs between libms
    for (const backend of ['ts', 'c'] as const) expectValues(f().eval({ backend }).data(), flat(want), `${backend}: ${f}`, { ulps });
  });

  it('views stay views: split, swapaxes, moveaxis, diagonal and meshgrid compute nothing, and assign writes through split and diagonal', () => {
    const m = zeros([3, 4]).eval();
    for (const v of [...m.split(2, 1), m.swapaxes(0, 1), m.moveaxis(0, 1), m.diagonal(1)]) expect(v.node.op).toBe('view');
    for (const g of meshgrid([arange(3), arange(2)])) expect(g.node.op).toBe('view');
    m.diagonal(1).assign(tensor([1, 2, 3]));
    m.split(2, 1)[0].assign(tensor([[7, 8]]));
    expect(m.toArray()).toEqual([[7, 8, 0, 0], [7, 8, 2, 0], [7, 8, 0, 3]]); // numpy: np.fill_diagonal(m[:, 1:], [1, 2, 3]); m[:, :2] = [7, 8]
  });

  it('tile and repeat copy once (numpy copies too); roll and the pad modes are one fused kernel', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(x.roll(1, 1).explain()).toMatch(/1 kernel/);
    expect(x.pad([[1, 2], [2, 1]], { mode: 'reflect' }).add(1).explain()).toMatch(/1 kernel/);
  });

  it('pads many times wider than the axis (a tiled period instead of a long select chain) match numpy', () => {
    // numpy: ''.join(map(str, np.pad(x, widths, mode)))
    const want: [string, number[], [number, number], string][] = [
      ['wrap', [1, 2], [100, 90], '12'.repeat(96)],
      ['reflect', [1, 2], [100, 90], '12'.repeat(96)],
      ['symmetric', [1, 2], [100, 90], '1221'.repeat(48)],
      ['reflect', [1, 2, 3], [70, 70], '32' + '1232'.repeat(35) + '1'],
      ['symmetric', [1, 2, 3], [70, 70], '33' + '211233'.repeat(23) + '211'],
      ['wrap', [1, 2, 3], [100, 95], '3' + '123'.repeat(65) + '12'],
    ];
    for (const [mode, x, widths, digits] of want) {
      for (const backend of ['ts', 'c'] as const) {
        const t = tensor(x).cast('int32').pad([widths], { mode: mode as 'wrap' }).eval({ backend });
        expect(Array.from(t.data()).join(''), `${mode} ${backend}`).toBe(digits);
      }
    }
  });

  it('unequal pads wider than the axis extend periodically (wrap as numpy after numpy#22575; numpy 1.24 pads reflect and symmetric iteratively there)', () => {
    // by hand: the period of reflect [1, 2, 3] is 1 2 3 2, of symmetric 1 2 3 3 2 1 (numpy 1.24 agrees
    // wherever both widths fit in the axis, or are equal, and for a one-sided pad like (5, 0) below).
    const x = tensor([1, 2, 3]).cast('int32');
    expect(x.pad([[5, 0]], { mode: 'reflect' }).toArray()).toEqual([2, 1, 2, 3, 2, 1, 2, 3]); // numpy: np.pad([1, 2, 3], (5, 0), 'reflect')
    expect(x.pad([[1, 8]], { mode: 'symmetric' }).toArray()).toEqual([1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2]);
    expect(tensor([1, 2]).pad([[1, 3]], { mode: 'wrap' }).toArray()).toEqual([2, 1, 2, 1, 2, 1]); // periodic, as numpy after numpy#22575; 1.24 gives [2 1 2 1 2 2]
  });

  it('huge axes and widths: roll and pad compute their runs, not an index per position; too large is a ShapeError', () => {
    const big = zeros([2 ** 31]);
    expect(big.roll(5).shape).toEqual([2 ** 31]);
    expect(big.pad([[3, 1]], { mode: 'reflect' }).shape).toEqual([2 ** 31 + 4]);
    expect(() => arange(3).pad([[2 ** 40, 0]], { mode: 'wrap' })).toThrow(ShapeError);
    expect(() => arange(3).pad([[2 ** 40, 0]], { mode: 'wrap' })).toThrow(/^pad: /);
  });

  it('clone is independent of its source and of another clone, also when evaluated together', () => {
    const x = tensor([1, 2, 3]);
    const a = x.clone(), b = x.clone();
    evalAll(a, b);
    a.assign(tensor([9, 9, 9]));
    x.assign(tensor([5, 5, 5]));
    expect([a.toArray(), b.toArray(), x.toArray()]).toEqual([[9, 9, 9], [1, 2, 3], [5, 5, 5]]);
    expect(x.clone().base).toBeUndefined();
  });

  it('dtypes: int32 in, int32 out (bool masks keep bool); logspace float64; trace of ints is a float64 sum', () => {
    const m = arange(6).reshape([2, 3]);
    expect([m.tile(2).dtype, m.repeat(2).dtype, m.roll(1).dtype, m.tril().dtype, diag(arange(3)).dtype, outer(m, m).dtype]).toEqual(Array(6).fill('int32'));
    expect(m.gt(2).triu().dtype).toBe('bool');
    expect(diag(tensor([true, false])).toArray()).toEqual([[true, false], [false, false]]); // numpy: np.diag([True, False])
    expect([logspace(0, 1, 3).dtype, m.trace().dtype]).toEqual(['float64', 'float64']);
  });

  it('bad arguments are errors naming the op', () => {
    const m = arange(12).reshape([3, 4]);
    expect(() => m.split(3, 1)).toThrow(/^split: axis 1 of \[3,4\] \(length 4\) does not divide into 3 equal sections/);
    expect(() => m.split(0)).toThrow(/^split: the number of sections must be a positive integer/);
    expect(() => zeros([0]).split(2 ** 40)).toThrow(/^split: 1099511627776 sections; at most 1048576 pieces are made/);
    expect(() => m.tile([-1])).toThrow(/^tile: reps must be non-negative/);
    expect(() => m.repeat(1.5)).toThrow(/^repeat: n must be a non-negative integer/);
    expect(() => m.roll([1, 2], [0, 1, 0])).toThrow(/^roll: 2 shifts for 3 axes/);
    expect(() => m.moveaxis([0, 1], [1])).toThrow(/^moveaxis: 2 source axes but 1 destinations/);
    expect(() => m.diagonal(0, 1, 1)).toThrow(/^diagonal: axis1 and axis2 must differ/);
    expect(() => arange(3).diagonal()).toThrow(ShapeError);
    expect(() => m.pad([[1, 1]], { mode: 'mirror' as never })).toThrow(/^pad: mode must be 'constant', 'edge', 'reflect', 'symmetric' or 'wrap'/);
    expect(() => m.pad([[1, 1]], { mode: 'edge', value: 3 })).toThrow(/^pad: value is only for mode 'constant'/);
    expect(() => zeros([0, 2]).pad([[1, 1], [0, 0]], { mode: 'wrap' })).toThrow(/^pad: cannot pad axis 0 of \[0,2\] in mode 'wrap'/);
    expect(() => meshgrid([arange(2)], { indexing: 'yx' as never })).toThrow(/^meshgrid: indexing must be 'xy' or 'ij'/);
    expect(() => diag(zeros([2, 2, 2]))).toThrow(/^diag: needs a 1-D or 2-D tensor/);
    expect(() => m.tril(0.5)).toThrow(TensorError);
  });
});
