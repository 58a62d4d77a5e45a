/**
 * Movement ops, joins and linear algebra as literal known values: reshape (-1, copies of non-contiguous
 * views), transpose/T, expand/broadcastTo, numpy-style slicing (negative indices and steps, null, out of
 * range), squeeze/unsqueeze/flatten/flip, pad, concat/stack, matmul (1-D, 2-D, batched broadcast) and dot.
 * Expected values: numpy 2.4 on the same inputs, as each comment says.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, concat, stack, tensor } from '../src/index.js';
import { expectValues, run, show } from './helpers.js';

/** A float64 tensor 0, 1, 2, ... of `shape` (numpy: np.arange(n, dtype=np.float64).reshape(shape)). */
const iota = (shape: number[], offset = 0): Tensor =>
  tensor(Float64Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => i + offset), { shape });

// numpy: X = np.arange(24.).reshape(2, 3, 4); M = np.arange(6.).reshape(2, 3); V = np.arange(5.); S = np.array(7.)
const X = iota([2, 3, 4]);
const M = iota([2, 3]);
const V = iota([5]);
const S = tensor(7);
// numpy: A = np.array([[1., -2, 3], [0, 4, -1]]); Bm = np.array([[2., 1], [-1, 0], [3, 5]]); u = np.array([1., 2, 3]); w = np.array([-1., .5, 2])
const A = tensor([[1, -2, 3], [0, 4, -1]]);
const Bm = tensor([[2, 1], [-1, 0], [3, 5]]);
const u = tensor([1, 2, 3]);
const w = tensor([-1, 0.5, 2]);
// numpy: B3 = np.arange(24.).reshape(2, 3, 4) - 10; C4 = np.arange(40.).reshape(5, 4, 2) % 7 - 3; D1 = np.arange(24.).reshape(2, 1, 3, 4) % 5 - 2
const B3 = iota([2, 3, 4], -10);
const C4 = tensor(Float64Array.from({ length: 40 }, (_, i) => (i % 7) - 3), { shape: [5, 4, 2] });
const D1 = tensor(Float64Array.from({ length: 24 }, (_, i) => (i % 5) - 2), { shape: [2, 1, 3, 4] });
// numpy: P = np.array([[1., 2], [3, 4]]); Q = np.array([[5., 6]]); R = np.array([[7.], [8]])
const P = tensor([[1, 2], [3, 4]]);
const Q = tensor([[5, 6]]);
const R = tensor([[7], [8]]);

type Case = readonly [string, () => Tensor, number[], number[]];

const MOVEMENT: Case[] = [
  // numpy: X.reshape(4, -1)
  ['X.reshape([4, -1])', () => X.reshape([4, -1]), [4, 6], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  // numpy: X.reshape(-1)
  ['X.reshape([-1])', () => X.reshape([-1]), [24], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  // numpy: X.reshape(24)
  ['X.reshape(24)', () => X.reshape(24), [24], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  // numpy: X.reshape(2, -1, 3)
  ['X.reshape([2, -1, 3])', () => X.reshape([2, -1, 3]), [2, 4, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  // numpy: M.reshape(1, 6, 1)
  ['M.reshape([1, 6, 1])', () => M.reshape([1, 6, 1]), [1, 6, 1], [0, 1, 2, 3, 4, 5]],
  // numpy: S.reshape(1, 1)
  ['S.reshape([1, 1])', () => S.reshape([1, 1]), [1, 1], [7]],
  // numpy: X.transpose(0, 2, 1).reshape(2, 12)
  ['X.transpose([0, 2, 1]).reshape([2, 12])', () => X.transpose([0, 2, 1]).reshape([2, 12]), [2, 12], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, 12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23]],
  // numpy: X.T.reshape(-1)
  ['X.T.reshape([-1])', () => X.T.reshape([-1]), [24], [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23]],
  // numpy: X[0:2, 1:3].reshape(-1, 4)
  ['X.slice([0, 1], [2, 3]).reshape([-1, 4])', () => X.slice([0, 1], [2, 3]).reshape([-1, 4]), [4, 4], [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23]],
  // numpy: X.transpose()
  ['X.transpose()', () => X.transpose(), [4, 3, 2], [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23]],
  // numpy: X.transpose(1, 0, 2)
  ['X.transpose([1, 0, 2])', () => X.transpose([1, 0, 2]), [3, 2, 4], [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23]],
  // numpy: X.transpose(-1, 0, -2)
  ['X.transpose([-1, 0, -2])', () => X.transpose([-1, 0, -2]), [4, 2, 3], [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23]],
  // numpy: M.T
  ['M.T', () => M.T, [3, 2], [0, 3, 1, 4, 2, 5]],
  // numpy: V.T
  ['V.T', () => V.T, [5], [0, 1, 2, 3, 4]],
  // numpy: S.T
  ['S.T', () => S.T, [], [7]],
  // numpy: M.T.T
  ['M.T.T', () => M.T.T, [2, 3], [0, 1, 2, 3, 4, 5]],
  // numpy: np.broadcast_to(V, (2, 5))
  ['V.expand([2, 5])', () => V.expand([2, 5]), [2, 5], [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]],
  // numpy: np.broadcast_to(M.reshape(2, 1, 3), (2, 2, 3))
  ['M.reshape([2, 1, 3]).expand([2, 2, 3])', () => M.reshape([2, 1, 3]).expand([2, 2, 3]), [2, 2, 3], [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]],
  // numpy: np.broadcast_to(M.reshape(2, 1, 3), (2, 4, 3))
  ['M.reshape([2, 1, 3]).expand([-1, 4, -1])', () => M.reshape([2, 1, 3]).expand([-1, 4, -1]), [2, 4, 3], [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5, 3, 4, 5]],
  // numpy: np.broadcast_to(S, (2, 2))
  ['S.broadcastTo([2, 2])', () => S.broadcastTo([2, 2]), [2, 2], [7, 7, 7, 7]],
  // numpy: np.broadcast_to(V.reshape(5, 1), (5, 0))
  ['V.reshape([5, 1]).broadcastTo([5, 0])', () => V.reshape([5, 1]).broadcastTo([5, 0]), [5, 0], []],
  // numpy: np.broadcast_to(M, (1, 2, 3))
  ['M.broadcastTo([1, 2, 3])', () => M.broadcastTo([1, 2, 3]), [1, 2, 3], [0, 1, 2, 3, 4, 5]],
  // numpy: V[1:4]
  ['V.slice(1, 4)', () => V.slice(1, 4), [3], [1, 2, 3]],
  // numpy: V[-2:]
  ['V.slice(-2)', () => V.slice(-2), [2], [3, 4]],
  // numpy: V[:-1]
  ['V.slice(null, -1)', () => V.slice(null, -1), [4], [0, 1, 2, 3]],
  // numpy: V[::2]
  ['V.slice(null, null, 2)', () => V.slice(null, null, 2), [3], [0, 2, 4]],
  // numpy: V[::-1]
  ['V.slice(null, null, -1)', () => V.slice(null, null, -1), [5], [4, 3, 2, 1, 0]],
  // numpy: V[3:0:-1]
  ['V.slice(3, 0, -1)', () => V.slice(3, 0, -1), [3], [3, 2, 1]],
  // numpy: V[-1:-6:-2]
  ['V.slice(-1, -6, -2)', () => V.slice(-1, -6, -2), [3], [4, 2, 0]],
  // numpy: V[10:20]
  ['V.slice(10, 20)', () => V.slice(10, 20), [0], []],
  // numpy: V[-10:2]
  ['V.slice(-10, 2)', () => V.slice(-10, 2), [2], [0, 1]],
  // numpy: V[3:1]
  ['V.slice(3, 1)', () => V.slice(3, 1), [0], []],
  // numpy: V[4:5]
  ['V.slice(4, 5)', () => V.slice(4, 5), [1], [4]],
  // numpy: V[::7]
  ['V.slice(null, null, 7)', () => V.slice(null, null, 7), [1], [0]],
  // numpy: V[:-10:-1]
  ['V.slice(null, -10, -1)', () => V.slice(null, -10, -1), [5], [4, 3, 2, 1, 0]],
  // numpy: X[1:]
  ['X.slice([1])', () => X.slice([1]), [1, 3, 4], [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  // numpy: X[:, 1::-1]
  ['X.slice([null, 1], [null, null], [1, -1])', () => X.slice([null, 1], [null, null], [1, -1]), [2, 2, 4], [4, 5, 6, 7, 0, 1, 2, 3, 16, 17, 18, 19, 12, 13, 14, 15]],
  // numpy: X[0:2, -1:-4:-1, 1:4:2]
  ['X.slice([0, -1, 1], [2, -4, 4], [1, -1, 2])', () => X.slice([0, -1, 1], [2, -4, 4], [1, -1, 2]), [2, 3, 2], [9, 11, 5, 7, 1, 3, 21, 23, 17, 19, 13, 15]],
  // numpy: X[:, :, -1::-3]
  ['X.slice([null, null, -1], [null, null, null], [1, 1, -3])', () => X.slice([null, null, -1], [null, null, null], [1, 1, -3]), [2, 3, 2], [3, 0, 7, 4, 11, 8, 15, 12, 19, 16, 23, 20]],
  // numpy: M[0:0, 0:3]
  ['M.slice([0, 0], [0, 3])', () => M.slice([0, 0], [0, 3]), [0, 3], []],
  // numpy: X.T[1:3, 0:2]
  ['X.T.slice([1, 0], [3, 2])', () => X.T.slice([1, 0], [3, 2]), [2, 2, 2], [1, 13, 5, 17, 2, 14, 6, 18]],
  // numpy: M.reshape(1, 2, 1, 3).squeeze()
  ['M.reshape([1, 2, 1, 3]).squeeze()', () => M.reshape([1, 2, 1, 3]).squeeze(), [2, 3], [0, 1, 2, 3, 4, 5]],
  // numpy: M.reshape(1, 2, 1, 3).squeeze(2)
  ['M.reshape([1, 2, 1, 3]).squeeze(2)', () => M.reshape([1, 2, 1, 3]).squeeze(2), [1, 2, 3], [0, 1, 2, 3, 4, 5]],
  // numpy: M.reshape(1, 2, 1, 3).squeeze((0, -2))
  ['M.reshape([1, 2, 1, 3]).squeeze([0, -2])', () => M.reshape([1, 2, 1, 3]).squeeze([0, -2]), [2, 3], [0, 1, 2, 3, 4, 5]],
  // numpy: S.reshape(1, 1).squeeze()
  ['S.reshape([1, 1]).squeeze()', () => S.reshape([1, 1]).squeeze(), [], [7]],
  // numpy: np.expand_dims(M, 0)
  ['M.unsqueeze(0)', () => M.unsqueeze(0), [1, 2, 3], [0, 1, 2, 3, 4, 5]],
  // numpy: np.expand_dims(M, 1)
  ['M.unsqueeze(1)', () => M.unsqueeze(1), [2, 1, 3], [0, 1, 2, 3, 4, 5]],
  // numpy: np.expand_dims(M, 2)
  ['M.unsqueeze(2)', () => M.unsqueeze(2), [2, 3, 1], [0, 1, 2, 3, 4, 5]],
  // numpy: np.expand_dims(M, -1)
  ['M.unsqueeze(-1)', () => M.unsqueeze(-1), [2, 3, 1], [0, 1, 2, 3, 4, 5]],
  // numpy: np.expand_dims(M, -3)
  ['M.unsqueeze(-3)', () => M.unsqueeze(-3), [1, 2, 3], [0, 1, 2, 3, 4, 5]],
  // numpy: np.expand_dims(S, 0)
  ['S.unsqueeze(0)', () => S.unsqueeze(0), [1], [7]],
  // numpy: X.flatten()
  ['X.flatten()', () => X.flatten(), [24], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  // numpy: S.flatten()
  ['S.flatten()', () => S.flatten(), [1], [7]],
  // numpy: X.T.flatten()
  ['X.T.flatten()', () => X.T.flatten(), [24], [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23]],
  // numpy: np.flip(X)
  ['X.flip()', () => X.flip(), [2, 3, 4], [23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]],
  // numpy: np.flip(X, 1)
  ['X.flip(1)', () => X.flip(1), [2, 3, 4], [8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3, 20, 21, 22, 23, 16, 17, 18, 19, 12, 13, 14, 15]],
  // numpy: np.flip(X, (0, -1))
  ['X.flip([0, -1])', () => X.flip([0, -1]), [2, 3, 4], [15, 14, 13, 12, 19, 18, 17, 16, 23, 22, 21, 20, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8]],
  // numpy: np.flip(S)
  ['S.flip()', () => S.flip(), [], [7]],
  // numpy: np.pad(M, ((1, 0), (0, 2)))
  ['M.pad([[1, 0], [0, 2]])', () => M.pad([[1, 0], [0, 2]]), [3, 5], [0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 5, 0, 0]],
  // numpy: np.pad(M, 1, constant_values=-1)
  ['M.pad([[1, 1]], -1)', () => M.pad([[1, 1]], -1), [4, 5], [-1, -1, -1, -1, -1, -1, 0, 1, 2, -1, -1, 3, 4, 5, -1, -1, -1, -1, -1, -1]],
  // numpy: np.pad(V, (2, 1), constant_values=np.nan)
  ['V.pad([[2, 1]], NaN)', () => V.pad([[2, 1]], NaN), [8], [NaN, NaN, 0, 1, 2, 3, 4, NaN]],
  // numpy: np.pad(M, 0)
  ['M.pad([[0, 0], [0, 0]])', () => M.pad([[0, 0], [0, 0]]), [2, 3], [0, 1, 2, 3, 4, 5]],
  // numpy: np.pad(V[0:0], (1, 2), constant_values=5)
  ['V.slice(0, 0).pad([[1, 2]], 5)', () => V.slice(0, 0).pad([[1, 2]], 5), [3], [5, 5, 5]],
  // numpy: np.pad(M.T, ((0, 1), (1, 0)))
  ['M.T.pad([[0, 1], [1, 0]])', () => M.T.pad([[0, 1], [1, 0]]), [4, 3], [0, 0, 3, 0, 1, 4, 0, 2, 5, 0, 0, 0]],
  // numpy: np.ascontiguousarray(X.T)
  ['X.T.contiguous()', () => X.T.contiguous(), [4, 3, 2], [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23]],
  // numpy: M
  ['M.contiguous()', () => M.contiguous(), [2, 3], [0, 1, 2, 3, 4, 5]],
];

const LINALG: Case[] = [
  // numpy: A @ Bm
  ['A.matmul(Bm)', () => A.matmul(Bm), [2, 2], [13, 16, -7, -5]],
  // numpy: u @ w
  ['u.matmul(w)', () => u.matmul(w), [], [6]],
  // numpy: u @ Bm
  ['u.matmul(Bm)', () => u.matmul(Bm), [2], [9, 16]],
  // numpy: A @ u
  ['A.matmul(u)', () => A.matmul(u), [2], [6, 5]],
  // numpy: B3 @ np.pad(u, (0, 1))
  ['B3.matmul(u.pad([[0, 1]]))', () => B3.matmul(u.pad([[0, 1]])), [2, 3], [-52, -28, -4, 20, 44, 68]],
  // numpy: u @ B3.transpose(0, 2, 1)[0:2, 0:3, 0:3]
  ['u.matmul(B3.transpose([0, 2, 1]).slice([0, 0, 0], [2, 3, 3]))', () => u.matmul(B3.transpose([0, 2, 1]).slice([0, 0, 0], [2, 3, 3])), [2, 3], [-52, -28, -4, 20, 44, 68]],
  // numpy: D1 @ C4
  ['D1.matmul(C4)', () => D1.matmul(C4), [2, 5, 3, 2], [10, 1, -5, -6, -10, -3, 1, -1, -6, -7, -3, -3, -1, -3, -7, -1, -3, 11, -3, -5, -1, -2, 11, 11, -5, 0, -2, 11, 11, -3, -5, 10, 10, -2, 10, 1, 10, 11, -2, 0, 1, -1, 11, -2, 0, -5, -1, -3, -2, -1, -5, -3, -3, -5, -1, -7, -3, -1, -5, 0]],
  // numpy: A @ Bm[:, 0:0]
  ['A.matmul(Bm.slice([0, 0], [3, 0]))', () => A.matmul(Bm.slice([0, 0], [3, 0])), [2, 0], []],
  // numpy: A[:, 0:0] @ Bm[0:0]
  ['A.slice([0, 0], [2, 0]).matmul(Bm.slice([0], [0]))', () => A.slice([0, 0], [2, 0]).matmul(Bm.slice([0], [0])), [2, 2], [0, 0, 0, 0]],
  // numpy: A.T @ A
  ['A.T.matmul(A)', () => A.T.matmul(A), [3, 3], [1, -2, 3, -2, 20, -10, 3, -10, 10]],
  // numpy: np.dot(A, Bm)
  ['A.dot(Bm)', () => A.dot(Bm), [2, 2], [13, 16, -7, -5]],
  // numpy: np.dot(u, w)
  ['u.dot(w)', () => u.dot(w), [], [6]],
  // numpy: np.dot(S, A)
  ['S.dot(A)', () => S.dot(A), [2, 3], [7, -14, 21, 0, 28, -7]],
  // numpy: np.dot(A, u)
  ['A.dot(u)', () => A.dot(u), [2], [6, 5]],
  // numpy: np.dot(B3, np.pad(Bm, ((0, 1), (0, 0))))
  ['B3.dot(Bm.pad([[0, 1], [0, 0]]))', () => B3.dot(Bm.pad([[0, 1], [0, 0]])), [2, 3, 2], [-35, -50, -19, -26, -3, -2, 13, 22, 29, 46, 45, 70]],
  // numpy: np.dot(A, B3)
  ['A.dot(B3)', () => A.dot(B3), [2, 2, 4], [-4, -2, 0, 2, 20, 22, 24, 26, -22, -19, -16, -13, 14, 17, 20, 23]],
  // numpy: np.dot(B3, C4)
  ['B3.dot(C4)', () => B3.dot(C4), [2, 3, 5, 2], [10, 25, 25, -9, -9, 13, 13, -21, -21, 8, 10, 13, 13, -5, -5, 5, 5, -13, -13, 4, 10, 1, 1, -1, -1, -3, -3, -5, -5, 0, 10, -11, -11, 3, 3, -11, -11, 3, 3, -4, 10, -23, -23, 7, 7, -19, -19, 11, 11, -8, 10, -35, -35, 11, 11, -27, -27, 19, 19, -12]],
  // numpy: np.concatenate([P, Q])
  ['concat([P, Q])', () => concat([P, Q]), [3, 2], [1, 2, 3, 4, 5, 6]],
  // numpy: np.concatenate([P, R], 1)
  ['concat([P, R], 1)', () => concat([P, R], 1), [2, 3], [1, 2, 7, 3, 4, 8]],
  // numpy: np.concatenate([P, R, P], -1)
  ['concat([P, R, P], -1)', () => concat([P, R, P], -1), [2, 5], [1, 2, 7, 1, 2, 3, 4, 8, 3, 4]],
  // numpy: np.concatenate([P, Q[0:0]])
  ['concat([P, Q.slice([0], [0])])', () => concat([P, Q.slice([0], [0])]), [2, 2], [1, 2, 3, 4]],
  // numpy: np.concatenate([P])
  ['concat([P])', () => concat([P]), [2, 2], [1, 2, 3, 4]],
  // numpy: np.stack([P, P*10])
  ['stack([P, P.mul(10)])', () => stack([P, P.mul(10)]), [2, 2, 2], [1, 2, 3, 4, 10, 20, 30, 40]],
  // numpy: np.stack([P, P*10], 1)
  ['stack([P, P.mul(10)], 1)', () => stack([P, P.mul(10)], 1), [2, 2, 2], [1, 2, 10, 20, 3, 4, 30, 40]],
  // numpy: np.stack([P, P*10], -1)
  ['stack([P, P.mul(10)], -1)', () => stack([P, P.mul(10)], -1), [2, 2, 2], [1, 10, 2, 20, 3, 30, 4, 40]],
  // numpy: np.stack([S, S+1])
  ['stack([S, S.add(1)])', () => stack([S, S.add(1)]), [2], [7, 8]],
  // numpy: np.concatenate([P.T, Q.T], 1)
  ['concat([P.T, Q.T], 1)', () => concat([P.T, Q.T], 1), [2, 3], [1, 3, 5, 2, 4, 6]],
];

describe('movement ops: literal values', () => {
  it.each(MOVEMENT)('%s', (name, build, shape, out) => {
    const t = build();
    expect(t.shape, name).toEqual(shape);
    expect(t.dtype, name).toBe('float64');
    expectValues(run(t), out, name);
  });
});

describe('matmul, dot, concat, stack: literal values', () => {
  it.each(LINALG)('%s', (name, build, shape, out) => {
    const t = build();
    expect(t.shape, name).toEqual(shape);
    expectValues(run(t), out, name);
  });

  it('float32 matmul rounds every multiply and add to float32', () => {
    const a = tensor([[0.1, 0.2, 0.3]], { dtype: 'float32' }), b = tensor([[0.3], [0.2], [0.1]], { dtype: 'float32' });
    const r = a.matmul(b);
    expect(r.dtype).toBe('float32');
    // numpy: np.float32 a @ b, and a sequential float32 loop acc = np.float32(acc + np.float32(a[i] * b[i])), both 0.10000000894069672
    expectValues(run(r), [0.10000000894069672], 'matmul float32');
    // numpy: a.astype(np.float64) @ b.astype(np.float64) = 0.1000000044703484 (not what float32 gives)
    expectValues(run(a.cast('float64').matmul(b.cast('float64'))), [0.1000000044703484], 'matmul float64 of float32 inputs');
  });

  it('int32 matmul wraps, bool matmul is bool, int32 @ float32 is float32', () => {
    const r = tensor([[65536, 65536]], { dtype: 'int32' }).matmul(tensor([[65536], [3]], { dtype: 'int32' }));
    expect(r.dtype).toBe('int32');
    // numpy: np.array([[65536, 65536]], np.int32) @ np.array([[65536], [3]], np.int32) = [[196608]] (2^32 wraps to 0)
    expectValues(run(r), [196608], 'matmul int32 wrap');
    const b = tensor([[true, false], [false, false]]).matmul(tensor([[true, true], [true, false]]));
    expect(b.dtype).toBe('bool');
    // numpy: np.array([[True, False], [False, False]]) @ np.array([[True, True], [True, False]])
    expectValues(run(b), [1, 1, 0, 0], 'matmul bool');
    const m = tensor([[1, 2]], { dtype: 'int32' }).matmul(tensor([[0.5], [0.25]], { dtype: 'float32' }));
    // numpy: value 1.0; by hand the dtype: int32 with float32 is float32 (numpy: float64)
    expect(m.dtype).toBe('float32');
    expectValues(run(m), [1], 'matmul int32 @ float32');
  });

  it('concat promotes dtypes and keeps NaN and -0 bit for bit', () => {
    const r = concat([tensor([NaN, -0], { dtype: 'float32' }), tensor([1], { dtype: 'int32' })]);
    // numpy: np.concatenate([np.array([nan, -0.], np.float32), np.array([1], np.int32)]) -> [nan, -0., 1.]; by hand the dtype: float32 (numpy: float64)
    expect(r.dtype).toBe('float32');
    expectValues(run(r), [NaN, -0, 1], 'concat float32 + int32');
    const b = concat([tensor([true]), tensor([false, true])]);
    expect(b.dtype).toBe('bool');
    expectValues(run(b), [1, 0, 1], 'concat bool');
  });
});

describe('views', () => {
  it('reshape of a non-contiguous view copies in logical order', () => {
    // numpy: np.arange(6.).reshape(2, 3).T.reshape(6) = [0, 3, 1, 4, 2, 5]
    expectValues(run(M.T.reshape([6])), [0, 3, 1, 4, 2, 5], 'reshape of a transpose');
    // numpy: np.arange(6.).reshape(2, 3)[:, ::2].reshape(-1) = [0, 2, 3, 5]
    expectValues(run(M.slice([null, null], [null, null], [1, 2]).reshape([-1])), [0, 2, 3, 5], 'reshape of a strided slice');
  });

  it('movement ops do not touch the source', () => {
    const x = tensor([[1, 2], [3, 4]]);
    run(x.T.flip().pad([[1, 1]]));
    expectValues(x.data(), [1, 2, 3, 4], 'source after views');
  });

  it('a reshape to the same shape, a full slice and transpose of 1-D are no-ops that keep the node', () => {
    expect(M.reshape([2, 3]).isRealized).toBe(true);
    expect(V.T.isRealized).toBe(true);
    expect(M.pad([[0, 0], [0, 0]]).isRealized).toBe(true);
    expect(show(M.slice([null, null]).shape)).toBe('[2, 3]');
  });

  it('pad keeps the dtype and casts the fill value to it', () => {
    const i = tensor([1, 2], { dtype: 'int32' }).pad([[1, 1]], 7.9);
    expect(i.dtype).toBe('int32');
    // numpy: np.pad(np.array([1, 2], np.int32), 1, constant_values=7.9) = [7, 1, 2, 7]
    expectValues(run(i), [7, 1, 2, 7], 'pad int32 with 7.9');
    const b = tensor([true, false]).pad([[0, 2]], true);
    expect(b.dtype).toBe('bool');
    // numpy: np.pad(np.array([True, False]), (0, 2), constant_values=True)
    expectValues(run(b), [1, 0, 1, 1], 'pad bool with true');
  });
});
