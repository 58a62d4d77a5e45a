// conv2d, maxPool2d, avgPool2d (issue 15). Expected values come from hand-written loops in numpy 1.24
// (/usr/bin/python3; the script is kept in no file): a zero-padded copy of x, then for every output
// pixel the sum (or max, or mean) over the kernel taps x_padded[n, g·C/G + c, i·s + a·d, j·s + b·d]·w[o, c, a, b];
// 'same' padding by TensorFlow's rule (output ⌈H / stride⌉, total padding max((out − 1)·s + (k − 1)·d + 1 − H, 0),
// the odd pixel after). Inputs are seq(shape): ((np.arange(n) * 5 + 3) % 11) - 5, w = seq(shape)[::-1].
// Rows run on the reference, all of them in one program on fused C, and some of them unfused.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { arange, avgPool2d, concat, conv1d, conv2d, grad, maxPool2d, rand, ShapeError, tensor, TensorError } from '../src/index.js';
import { expectValues, TS } from './helpers.js';

const seq = (shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => ((i * 5 + 3) % 11) - 5), { shape });
};
const X = () => seq([2, 3, 5, 5]);
const Wt = () => seq([4, 3, 3, 3]).flip(0);
const P = () => seq([1, 2, 4, 5]);
/** Zeros without their sign: a sum's -0 against numpy's loop's +0 is not a difference of meaning. */
const unsigned = (v: ArrayLike<number>): number[] => Array.from(v, (x) => x + 0);

/** [what, the call, numpy's shape, numpy's values] */
const CONV: [string, () => Tensor, number[], number[]][] = [
  ["valid, stride 1", () => conv2d(X(), Wt()), [2, 4, 3, 3], [-40.0, 66.0, -4.0, -71.0, 79.0, -68.0, -14.0, -40.0, 66.0, 41.0, -27.0, -29.0, 20.0, -4.0, 38.0, -1.0, 41.0, -27.0, 1.0, -54.0, 78.0, 78.0, -54.0, 1.0, -54.0, 1.0, -54.0, 38.0, -4.0, 20.0, -29.0, -27.0, 41.0, -30.0, 38.0, -4.0, -21.0, -14.0, -40.0, -30.0, 65.0, -71.0, 38.0, -21.0, -14.0, 12.0, -1.0, 41.0, 13.0, -33.0, 20.0, -30.0, 12.0, -1.0, 34.0, -54.0, 1.0, 12.0, 12.0, 78.0, -54.0, 34.0, -54.0, 12.0, -30.0, 38.0, -33.0, 13.0, -29.0, -1.0, 12.0, -30.0]],
  ["stride 2, padding 1", () => conv2d(X(), Wt(), { stride: 2, padding: 1 }), [2, 4, 3, 3], [-14.0, -74.0, -44.0, 74.0, 79.0, 52.0, -18.0, -24.0, -43.0, -32.0, 22.0, 25.0, 13.0, -4.0, -38.0, 3.0, 26.0, 43.0, 16.0, 30.0, 28.0, 7.0, -54.0, -18.0, 2.0, 43.0, 19.0, -24.0, 27.0, -35.0, 1.0, -27.0, 2.0, 1.0, -6.0, 6.0, 2.0, -51.0, -88.0, 7.0, 65.0, 93.0, 16.0, -7.0, -14.0, 3.0, -31.0, 11.0, 13.0, -33.0, -18.0, -32.0, -22.0, 25.0, -18.0, 55.0, 55.0, 74.0, 12.0, -19.0, -14.0, 18.0, 53.0, -39.0, -13.0, 11.0, 14.0, 13.0, -20.0, 26.0, 14.0, 4.0]],
  ["'same', stride 1", () => conv2d(X(), Wt(), { padding: 'same' }), [2, 4, 5, 5], [-14.0, 86.0, -74.0, 74.0, -44.0, -44.0, -40.0, 66.0, -4.0, -16.0, 74.0, -71.0, 79.0, -68.0, 52.0, -17.0, -14.0, -40.0, 66.0, 10.0, -18.0, 56.0, -24.0, 28.0, -43.0, -32.0, 23.0, 22.0, -34.0, 25.0, 2.0, 41.0, -27.0, -29.0, 1.0, 13.0, 20.0, -4.0, 38.0, -38.0, -31.0, -1.0, 41.0, -27.0, -33.0, 3.0, -31.0, 26.0, -27.0, 43.0, 16.0, -51.0, 30.0, -65.0, 28.0, -18.0, 1.0, -54.0, 78.0, 7.0, 7.0, 78.0, -54.0, 1.0, -18.0, 10.0, -54.0, 1.0, -54.0, 34.0, 2.0, 14.0, 43.0, -38.0, 19.0, -24.0, -26.0, 27.0, 25.0, -35.0, -38.0, 38.0, -4.0, 20.0, 13.0, 1.0, -29.0, -27.0, 41.0, 2.0, 51.0, -30.0, 38.0, -4.0, -20.0, 1.0, 4.0, -6.0, -5.0, 6.0, 2.0, 32.0, -51.0, 86.0, -88.0, 10.0, -21.0, -14.0, -40.0, 36.0, 7.0, -30.0, 65.0, -71.0, 93.0, -18.0, 38.0, -21.0, -14.0, -26.0, 16.0, 18.0, -7.0, 56.0, -14.0, 3.0, 14.0, -31.0, 23.0, 11.0, -31.0, 12.0, -1.0, 41.0, -1.0, 13.0, 13.0, -33.0, 20.0, -18.0, 2.0, -30.0, 12.0, -1.0, 31.0, -32.0, -13.0, -22.0, -31.0, 25.0, -18.0, 18.0, 55.0, -51.0, 55.0, -17.0, 34.0, -54.0, 1.0, -49.0, 74.0, 12.0, 12.0, 78.0, -19.0, -44.0, -54.0, 34.0, -54.0, -44.0, -14.0, 55.0, 18.0, 14.0, 53.0, -39.0, -22.0, -13.0, -26.0, 11.0, -3.0, 12.0, -30.0, 38.0, 24.0, 14.0, -33.0, 13.0, -29.0, -20.0, 31.0, -1.0, 12.0, -30.0, 2.0, 26.0, -31.0, 14.0, 4.0, 4.0]],
  ["'same', stride 2 (H 5, W 6: the odd pixel after)", () => conv2d(seq([1, 3, 5, 6]), Wt(), { padding: 'same', stride: 2 }), [1, 4, 3, 3], [58.0, 46.0, 40.0, -103.0, -78.0, -12.0, 30.0, 2.0, -17.0, -27.0, 37.0, -5.0, -20.0, 20.0, 37.0, -31.0, 6.0, 20.0, -46.0, -60.0, -17.0, 30.0, -25.0, -35.0, -48.0, -34.0, -9.0, 78.0, 8.0, -7.0, 3.0, -26.0, 14.0, 12.0, -19.0, -27.0]],
  ["'same' with an even kernel (2\u00d72: 0 before, 1 after)", () => conv2d(X(), seq([2, 3, 2, 2]), { padding: 'same' }), [2, 2, 5, 5], [-76.0, 35.0, 3.0, 4.0, 0.0, -38.0, 18.0, -25.0, 42.0, -15.0, 44.0, -76.0, 35.0, 3.0, 14.0, 16.0, -38.0, 18.0, -25.0, 32.0, -22.0, 10.0, -24.0, -3.0, 27.0, 42.0, 24.0, -16.0, 43.0, -10.0, 51.0, -77.0, 48.0, -69.0, 10.0, -17.0, 42.0, 24.0, -16.0, 8.0, -74.0, 51.0, -77.0, 48.0, -5.0, 11.0, -16.0, 12.0, 29.0, -13.0, -23.0, 44.0, -76.0, 35.0, -5.0, 4.0, 16.0, -38.0, 18.0, -20.0, 42.0, -23.0, 44.0, -76.0, 42.0, 3.0, 4.0, 16.0, -38.0, 5.0, -20.0, 12.0, -22.0, 10.0, -29.0, 45.0, -17.0, 42.0, 24.0, -7.0, 43.0, -74.0, 51.0, -77.0, 13.0, -69.0, 45.0, -17.0, 42.0, -11.0, -16.0, 43.0, -74.0, 51.0, -13.0, 10.0, -17.0, 11.0, -16.0, 1.0]],
  ["dilation 2", () => conv2d(X(), Wt(), { dilation: 2 }), [2, 4, 1, 1], [118.0, 57.0, -15.0, -21.0, 27.0, 39.0, 29.0, -36.0]],
  ["dilation [1, 2], padding [2, 1], stride [2, 1]", () => conv2d(X(), Wt(), { dilation: [1, 2], padding: [2, 1], stride: [2, 1] }), [2, 4, 4, 3], [-21.0, 40.0, -7.0, -5.0, -1.0, 53.0, -44.0, 25.0, 13.0, 2.0, -14.0, -14.0, -6.0, -9.0, 8.0, -12.0, 27.0, 2.0, 10.0, -15.0, 23.0, -12.0, 53.0, -6.0, -2.0, 30.0, -21.0, -19.0, 0.0, -5.0, 64.0, -55.0, -44.0, -15.0, 21.0, 2.0, 35.0, -8.0, -6.0, -26.0, 50.0, -12.0, -3.0, -18.0, 10.0, 4.0, -22.0, -12.0, -12.0, 53.0, -6.0, -50.0, -48.0, -5.0, 43.0, -22.0, -34.0, -4.0, 4.0, -17.0, -15.0, 21.0, 2.0, 10.0, 53.0, 11.0, -78.0, 11.0, 43.0, -3.0, 11.0, -5.0, 4.0, -22.0, -12.0, -51.0, 88.0, -50.0, 43.0, -88.0, 43.0, -24.0, -4.0, -4.0, 34.0, -43.0, -15.0, 9.0, -42.0, 10.0, 43.0, 11.0, -78.0, 10.0, -8.0, -3.0]],
  ["groups 2", () => conv2d(seq([1, 4, 4, 4]), seq([6, 2, 3, 3]), { groups: 2 }), [1, 6, 2, 2], [-6.0, -2.0, 32.0, -30.0, -15.0, 26.0, -38.0, 36.0, 9.0, -23.0, -31.0, 69.0, -60.0, 33.0, 59.0, -46.0, 15.0, 24.0, -48.0, 27.0, 24.0, 15.0, -78.0, 122.0]],
  ["depthwise (groups = C)", () => conv2d(seq([1, 3, 4, 4]), seq([3, 1, 2, 2]), { groups: 3 }), [1, 3, 3, 3], [27.0, -28.0, 27.0, -6.0, -6.0, -6.0, -28.0, 27.0, -28.0, -4.0, 0.0, 15.0, 23.0, -28.0, 31.0, 39.0, -12.0, -8.0, 38.0, -31.0, 32.0, 4.0, 1.0, -2.0, -19.0, 44.0, -25.0]],
  ["bias", () => conv2d(X(), Wt(), { bias: tensor([1, -2, 0.5, 3]) }), [2, 4, 3, 3], [-39.0, 67.0, -3.0, -70.0, 80.0, -67.0, -13.0, -39.0, 67.0, 39.0, -29.0, -31.0, 18.0, -6.0, 36.0, -3.0, 39.0, -29.0, 1.5, -53.5, 78.5, 78.5, -53.5, 1.5, -53.5, 1.5, -53.5, 41.0, -1.0, 23.0, -26.0, -24.0, 44.0, -27.0, 41.0, -1.0, -20.0, -13.0, -39.0, -29.0, 66.0, -70.0, 39.0, -20.0, -13.0, 10.0, -3.0, 39.0, 11.0, -35.0, 18.0, -32.0, 10.0, -3.0, 34.5, -53.5, 1.5, 12.5, 12.5, 78.5, -53.5, 34.5, -53.5, 15.0, -27.0, 41.0, -30.0, 16.0, -26.0, 2.0, 15.0, -27.0]],
  ["rectangular kernel 2\u00d73", () => conv2d(X(), seq([2, 3, 2, 3]), { stride: [1, 2], padding: [1, 0] }), [2, 2, 6, 2], [-44.0, -80.0, 43.0, 40.0, -14.0, 38.0, -38.0, -52.0, 48.0, -32.0, -10.0, 12.0, -6.0, -27.0, 41.0, 68.0, -84.0, -2.0, -55.0, -39.0, 84.0, 34.0, -42.0, -5.0, 3.0, -44.0, 24.0, 43.0, 33.0, -14.0, -90.0, -38.0, 40.0, 48.0, -10.0, -10.0, 26.0, -6.0, -8.0, 41.0, -45.0, -84.0, 6.0, -55.0, 68.0, 84.0, -35.0, -42.0]],
  ["1\u00d71", () => conv2d(X(), seq([5, 3, 1, 1])), [2, 5, 5, 5], [25.0, -18.0, -6.0, -16.0, -4.0, 19.0, -2.0, 21.0, -22.0, 23.0, -20.0, 25.0, -18.0, -6.0, -16.0, -4.0, 19.0, -2.0, 21.0, -22.0, 23.0, -20.0, 25.0, -18.0, -6.0, -17.0, 22.0, -5.0, 23.0, -4.0, -20.0, -3.0, -19.0, 20.0, -18.0, 21.0, -17.0, 22.0, -5.0, 23.0, -4.0, -20.0, -3.0, -19.0, 20.0, -18.0, 21.0, -17.0, 22.0, -5.0, -15.0, -15.0, 40.0, -15.0, 40.0, -15.0, 40.0, -15.0, -15.0, -15.0, -15.0, -15.0, -15.0, 40.0, -15.0, 40.0, -15.0, 40.0, -15.0, -15.0, -15.0, -15.0, -15.0, -15.0, 40.0, 20.0, -19.0, -3.0, -20.0, -4.0, 23.0, -5.0, 22.0, -17.0, 21.0, -18.0, 20.0, -19.0, -3.0, -20.0, -4.0, 23.0, -5.0, 22.0, -17.0, 21.0, -18.0, 20.0, -19.0, -3.0, -22.0, 21.0, -2.0, 19.0, -4.0, -16.0, -6.0, -18.0, 25.0, -20.0, 23.0, -22.0, 21.0, -2.0, 19.0, -4.0, -16.0, -6.0, -18.0, 25.0, -20.0, 23.0, -22.0, 21.0, -2.0, 23.0, -20.0, 25.0, -18.0, -6.0, -16.0, -4.0, 19.0, -2.0, 21.0, -22.0, 23.0, -20.0, 25.0, -18.0, -6.0, -16.0, -4.0, 19.0, -2.0, 21.0, -22.0, 23.0, -20.0, 25.0, -18.0, 21.0, -17.0, 22.0, -5.0, 23.0, -4.0, -20.0, -3.0, -19.0, 20.0, -18.0, 21.0, -17.0, 22.0, -5.0, 23.0, -4.0, -20.0, -3.0, -19.0, 20.0, -18.0, 21.0, -17.0, -15.0, -15.0, -15.0, -15.0, 40.0, -15.0, 40.0, -15.0, 40.0, -15.0, -15.0, -15.0, -15.0, -15.0, -15.0, 40.0, -15.0, 40.0, -15.0, 40.0, -15.0, -15.0, -15.0, -15.0, -15.0, 21.0, -18.0, 20.0, -19.0, -3.0, -20.0, -4.0, 23.0, -5.0, 22.0, -17.0, 21.0, -18.0, 20.0, -19.0, -3.0, -20.0, -4.0, 23.0, -5.0, 22.0, -17.0, 21.0, -18.0, 20.0, -20.0, 23.0, -22.0, 21.0, -2.0, 19.0, -4.0, -16.0, -6.0, -18.0, 25.0, -20.0, 23.0, -22.0, 21.0, -2.0, 19.0, -4.0, -16.0, -6.0, -18.0, 25.0, -20.0, 23.0, -22.0]],
  ["NHWC layout", () => conv2d(X().transpose([0, 2, 3, 1]), Wt(), { layout: 'NHWC', padding: 1 }), [2, 5, 5, 4], [-14.0, -32.0, 16.0, -24.0, 86.0, 23.0, -51.0, -26.0, -74.0, 22.0, 30.0, 27.0, 74.0, -34.0, -65.0, 25.0, -44.0, 25.0, 28.0, -35.0, -44.0, 2.0, -18.0, -38.0, -40.0, 41.0, 1.0, 38.0, 66.0, -27.0, -54.0, -4.0, -4.0, -29.0, 78.0, 20.0, -16.0, 1.0, 7.0, 13.0, 74.0, 13.0, 7.0, 1.0, -71.0, 20.0, 78.0, -29.0, 79.0, -4.0, -54.0, -27.0, -68.0, 38.0, 1.0, 41.0, 52.0, -38.0, -18.0, 2.0, -17.0, -31.0, 10.0, 51.0, -14.0, -1.0, -54.0, -30.0, -40.0, 41.0, 1.0, 38.0, 66.0, -27.0, -54.0, -4.0, 10.0, -33.0, 34.0, -20.0, -18.0, 3.0, 2.0, 1.0, 56.0, -31.0, 14.0, 4.0, -24.0, 26.0, 43.0, -6.0, 28.0, -27.0, -38.0, -5.0, -43.0, 43.0, 19.0, 6.0, 2.0, 3.0, -18.0, -39.0, 32.0, 14.0, 18.0, -22.0, -51.0, -31.0, 55.0, -13.0, 86.0, 23.0, -51.0, -26.0, -88.0, 11.0, 55.0, 11.0, 10.0, -31.0, -17.0, -3.0, -21.0, 12.0, 34.0, 12.0, -14.0, -1.0, -54.0, -30.0, -40.0, 41.0, 1.0, 38.0, 36.0, -1.0, -49.0, 24.0, 7.0, 13.0, 74.0, 14.0, -30.0, 13.0, 12.0, -33.0, 65.0, -33.0, 12.0, 13.0, -71.0, 20.0, 78.0, -29.0, 93.0, -18.0, -19.0, -20.0, -18.0, 2.0, -44.0, 31.0, 38.0, -30.0, -54.0, -1.0, -21.0, 12.0, 34.0, 12.0, -14.0, -1.0, -54.0, -30.0, -26.0, 31.0, -44.0, 2.0, 16.0, -32.0, -14.0, 26.0, 18.0, -13.0, 55.0, -31.0, -7.0, -22.0, 18.0, 14.0, 56.0, -31.0, 14.0, 4.0, -14.0, 25.0, 53.0, 4.0]],
  ["int32", () => conv2d(X().cast('int32'), Wt().cast('int32'), { padding: 1 }), [2, 4, 5, 5], [-14.0, 86.0, -74.0, 74.0, -44.0, -44.0, -40.0, 66.0, -4.0, -16.0, 74.0, -71.0, 79.0, -68.0, 52.0, -17.0, -14.0, -40.0, 66.0, 10.0, -18.0, 56.0, -24.0, 28.0, -43.0, -32.0, 23.0, 22.0, -34.0, 25.0, 2.0, 41.0, -27.0, -29.0, 1.0, 13.0, 20.0, -4.0, 38.0, -38.0, -31.0, -1.0, 41.0, -27.0, -33.0, 3.0, -31.0, 26.0, -27.0, 43.0, 16.0, -51.0, 30.0, -65.0, 28.0, -18.0, 1.0, -54.0, 78.0, 7.0, 7.0, 78.0, -54.0, 1.0, -18.0, 10.0, -54.0, 1.0, -54.0, 34.0, 2.0, 14.0, 43.0, -38.0, 19.0, -24.0, -26.0, 27.0, 25.0, -35.0, -38.0, 38.0, -4.0, 20.0, 13.0, 1.0, -29.0, -27.0, 41.0, 2.0, 51.0, -30.0, 38.0, -4.0, -20.0, 1.0, 4.0, -6.0, -5.0, 6.0, 2.0, 32.0, -51.0, 86.0, -88.0, 10.0, -21.0, -14.0, -40.0, 36.0, 7.0, -30.0, 65.0, -71.0, 93.0, -18.0, 38.0, -21.0, -14.0, -26.0, 16.0, 18.0, -7.0, 56.0, -14.0, 3.0, 14.0, -31.0, 23.0, 11.0, -31.0, 12.0, -1.0, 41.0, -1.0, 13.0, 13.0, -33.0, 20.0, -18.0, 2.0, -30.0, 12.0, -1.0, 31.0, -32.0, -13.0, -22.0, -31.0, 25.0, -18.0, 18.0, 55.0, -51.0, 55.0, -17.0, 34.0, -54.0, 1.0, -49.0, 74.0, 12.0, 12.0, 78.0, -19.0, -44.0, -54.0, 34.0, -54.0, -44.0, -14.0, 55.0, 18.0, 14.0, 53.0, -39.0, -22.0, -13.0, -26.0, 11.0, -3.0, 12.0, -30.0, 38.0, 24.0, 14.0, -33.0, 13.0, -29.0, -20.0, 31.0, -1.0, 12.0, -30.0, 2.0, 26.0, -31.0, 14.0, 4.0, 4.0]],
];

const POOL: [string, () => Tensor, number[], number[]][] = [
  ["max 2\u00d72 (stride 2)", () => maxPool2d(P(), 2), [1, 2, 2, 2], [3.0, 5.0, 4.0, 3.0, 4.0, 3.0, 5.0, 4.0]],
  ["max 3\u00d73, stride 1, padding 1 (-inf padding)", () => maxPool2d(P(), 3, { stride: 1, padding: 1 }), [1, 2, 4, 5], [3.0, 3.0, 5.0, 5.0, 5.0, 4.0, 4.0, 5.0, 5.0, 5.0, 4.0, 4.0, 5.0, 5.0, 5.0, 4.0, 4.0, 3.0, 5.0, 5.0, 4.0, 4.0, 4.0, 3.0, 3.0, 5.0, 5.0, 4.0, 4.0, 3.0, 5.0, 5.0, 4.0, 4.0, 3.0, 5.0, 5.0, 4.0, 4.0, 3.0]],
  ["max 2\u00d72, dilation 2, stride 1", () => maxPool2d(P(), 2, { dilation: 2, stride: 1 }), [1, 2, 2, 3], [4.0, 3.0, 3.0, 1.0, 5.0, 5.0, 5.0, 4.0, 4.0, 2.0, 2.0, 1.0]],
  ["max 3\u00d73 'same', stride 2", () => maxPool2d(P(), 3, { padding: 'same', stride: 2 }), [1, 2, 2, 3], [4.0, 5.0, 5.0, 4.0, 3.0, 5.0, 5.0, 4.0, 3.0, 5.0, 4.0, 3.0]],
  ["max [2, 3], stride [1, 2]", () => maxPool2d(P(), [2, 3], { stride: [1, 2] }), [1, 2, 3, 2], [3.0, 5.0, 4.0, 5.0, 4.0, 5.0, 4.0, 3.0, 5.0, 4.0, 5.0, 4.0]],
  ["avg 2\u00d72, stride 1", () => avgPool2d(P(), 2, { stride: 1 }), [1, 2, 3, 4], [-0.75, -1.25, 1.0, 0.5, -0.5, -1.0, 1.25, 0.75, -0.25, -0.75, -1.25, 1.0, 0.25, -0.25, -0.75, -1.25, 0.5, 0.0, -0.5, -1.0, 0.75, 0.25, -0.25, -0.75]],
  ["avg 3\u00d73, padding 1 (padding counted)", () => avgPool2d(P(), 3, { stride: 1, padding: 1 }), [1, 2, 4, 5], [-0.3333333333333333, -0.6666666666666666, 0.2222222222222222, -0.1111111111111111, 0.2222222222222222, -0.1111111111111111, -0.1111111111111111, 0.0, 0.1111111111111111, 0.1111111111111111, -0.5555555555555556, -0.7777777777777778, -0.6666666666666666, 0.6666666666666666, 0.8888888888888888, -0.1111111111111111, -0.3333333333333333, -0.6666666666666666, 0.2222222222222222, 0.4444444444444444, 0.1111111111111111, 0.0, -0.3333333333333333, -0.6666666666666666, -0.5555555555555556, 0.5555555555555556, 0.8888888888888888, -0.2222222222222222, -0.1111111111111111, -0.4444444444444444, 0.1111111111111111, 0.2222222222222222, -0.8888888888888888, -0.7777777777777778, -0.8888888888888888, 0.3333333333333333, 0.3333333333333333, 0.0, -0.3333333333333333, -0.3333333333333333]],
  ["avg 3\u00d73, padding 1, countIncludePad false", () => avgPool2d(P(), 3, { stride: 1, padding: 1, countIncludePad: false }), [1, 2, 4, 5], [-0.75, -1.0, 0.3333333333333333, -0.16666666666666666, 0.5, -0.16666666666666666, -0.1111111111111111, 0.0, 0.1111111111111111, 0.16666666666666666, -0.8333333333333334, -0.7777777777777778, -0.6666666666666666, 0.6666666666666666, 1.3333333333333333, -0.25, -0.5, -1.0, 0.3333333333333333, 1.0, 0.25, 0.0, -0.5, -1.0, -1.25, 0.8333333333333334, 0.8888888888888888, -0.2222222222222222, -0.1111111111111111, -0.6666666666666666, 0.16666666666666666, 0.2222222222222222, -0.8888888888888888, -0.7777777777777778, -1.3333333333333333, 0.75, 0.5, 0.0, -0.5, -0.75]],
  ["max of int32", () => maxPool2d(P().cast('int32'), 2, { padding: 1 }), [1, 2, 3, 3], [-2.0, 3.0, 2.0, 4.0, 3.0, 5.0, -4.0, 1.0, 5.0, -1.0, 4.0, 3.0, 5.0, 4.0, 3.0, -3.0, 2.0, 1.0]],
  ["avg of int32 (float64)", () => avgPool2d(P().cast('int32'), 2), [1, 2, 2, 2], [-0.75, 1.0, -0.25, -1.25, 0.25, -0.75, 0.75, -0.25]],
  ["max NHWC", () => maxPool2d(P().transpose([0, 2, 3, 1]), 2, { layout: 'NHWC' }), [1, 2, 2, 2], [3.0, 4.0, 5.0, 3.0, 4.0, 5.0, 3.0, 4.0]],
];

/** Unfused C compiles a kernel per op (~8 s for every row here): two rows of each kind. */
const UNFUSED = ['stride 2, padding 1', 'groups 2', 'max 2×2 (stride 2)', 'avg 3×3, padding 1, countIncludePad false'];

describe.each([['conv2d', CONV], ['pooling', POOL]] as const)('%s against numpy loops', (_kind, all) => {
  it.each(all)('%s (reference)', (_name, call, shape, values) => {
    const r = call();
    expect(r.shape).toEqual(shape);
    expectValues(unsigned(r.eval(TS).data()), unsigned(values), _name);
  });
  for (const fuse of [true, false]) {
    it(`${fuse ? 'every row on C fused' : 'some rows on C unfused'} (one program)`, () => {
      const rows = fuse ? all : all.filter((r) => UNFUSED.includes(r[0]));
      expect(rows.length).toBeGreaterThanOrEqual(2);
      const joined = concat(rows.map((r) => r[1]().cast('float64').flatten())).eval({ backend: 'c', fuse });
      expectValues(unsigned(joined.data()), unsigned(rows.flatMap((r) => r[3])), `C ${fuse ? 'fused' : 'unfused'}`);
    });
  }
});

describe('conv2d lowering and dtypes', () => {
  it('float conv2d runs direct loops, int32 the matmul kernel on the im2col matrix; pooling is one fused elementwise loop', () => {
    const plan = conv2d(X(), Wt(), { bias: tensor([1, 2, 3, 4]) }).explain();
    expect(plan, plan).toMatch(/kernel M\S+: fuses conv2d add\n[^]*loop: conv — direct loops/);
    expect(conv2d(X().cast('int32'), Wt().cast('int32')).explain()).toMatch(/kernel M\S+: fuses matmul\n[^]*loop: matmul — /);
    expect(maxPool2d(P(), 2).explain()).toMatch(/^program: 1 kernel [^]*fuses maximum maximum maximum\n/);
  });
  it('the bias is the matmul kernel\'s epilogue, its result written straight into the NCHW output (was one more kernel and a temporary)', () => {
    const x = rand([2, 3, 16, 16], { seed: 1, dtype: 'float32' }), w = rand([8, 3, 3, 3], { seed: 2, dtype: 'float32' }), b = rand([8], { seed: 3, dtype: 'float32' });
    const plan = conv2d(x, w, { bias: b, padding: 'same' }).explain();
    expect(plan, plan).toMatch(/program: 3 kernels/);
    expect(plan, plan).toMatch(/kernel M\d_2_1_8_256: fuses conv2d rand add/);
    expect(plan).not.toMatch(/tmp2/);
    // The same rule for any matmul whose epilogue is then reshaped as the output.
    const m = rand([64, 32], { seed: 4, dtype: 'float32' }).eval().matmul(rand([32, 16], { seed: 5, dtype: 'float32' }).eval()).add(1).reshape([8, 8, 16]);
    expect(m.explain()).toMatch(/program: 1 kernel/);
  });

  it('an activation after conv2d is the matmul kernel\'s epilogue too: elementwise ops read through the NCHW reshape are recorded at the matmul\'s shape', () => {
    for (const [n, groups] of [[1, 1], [2, 1], [2, 2]] as const) {
      const x = rand([n, 4, 12, 12], { seed: 1, dtype: 'float32' }).eval(), w = rand([8, 4 / groups, 3, 3], { seed: 2, dtype: 'float32' }).eval(), b = rand([8], { seed: 3, dtype: 'float32' }).eval();
      const y = conv2d(x, w, { bias: b, padding: 1, groups }).relu().mul(2).sub(b.reshape([8, 1, 1]));
      const plan = y.explain();
      expect(plan, plan).toMatch(/program: 1 kernel/); // the convolution with everything after it (was 3: im2col, matmul, the ops)
      expect(plan, plan).toMatch(/kernel M\S+: fuses conv2d add maximum mul sub/);
      // Against the reference, and against the same ops recorded on the realized convolution (no fusion possible).
      const conv = conv2d(x, w, { bias: b, padding: 1, groups }).eval();
      const separate = conv.relu().mul(2).sub(b.reshape([8, 1, 1])).eval();
      expect(y.shape).toEqual([n, 8, 12, 12]);
      expect(Array.from(y.eval().data())).toEqual(Array.from(separate.data()));
      const ref = conv2d(x, w, { bias: b, padding: 1, groups }).relu().mul(2).sub(b.reshape([8, 1, 1])).eval(TS).data();
      expect(Math.max(...Array.from(ref, (r, i) => Math.abs(r - separate.data()[i]!)))).toBeLessThan(1e-5); // float32 sums of 36 products, in another order
    }
    // An operand that cannot be read at the matmul's shape (here a transposed one) keeps its own kernel, with the same values.
    const x = rand([1, 2, 4, 4], { seed: 4 }).eval(), w = rand([2, 2, 1, 1], { seed: 5 }).eval(), t = rand([1, 2, 4, 4], { seed: 6 }).eval();
    const odd = conv2d(x, w).add(t.transpose([0, 1, 3, 2]));
    expect(Array.from(odd.eval().data())).toEqual(Array.from(conv2d(x, w).eval().add(t.transpose([0, 1, 3, 2])).eval().data()));
  });

  it('builds no im2col matrix: float conv2d reads the padded x itself; int32 copies it once, one load per element', () => {
    // It was a stack of KH·KW slices, a concat that picked among its pieces per element (8 compares and
    // selects for a 3×3 kernel) into a temporary KH·KW times the size of x: 4× slower at N = 32
    // (bench/ab-conv.mjs, RESULTS 2026-12-02 19:40Z).
    for (const opts of [{ padding: 'same' }, { stride: 2, dilation: 2 }, { groups: 2, padding: [1, 2] }] as const) {
      const w = rand([6, 4 / ('groups' in opts ? 2 : 1), 3, 3], { seed: 2, dtype: 'float32' }).eval();
      const x = rand([2, 4, 9, 9], { seed: 1, dtype: 'float32' }).eval();
      const plan = conv2d(x, w, opts).explain();
      const temps = [...plan.matchAll(/tmp\d float32\[(\d+)\]/g)].map((m) => Number(m[1]));
      expect(temps.every((n) => n <= 2 * 4 * 13 * 13), plan).toBe(true); // the padded x at most
      expect(plan, plan).toMatch(/kernel M\S+: fuses conv2d\n  out0 = conv2d\(in0, (tmp0|in1)\)\n/);
      const ints = conv2d(x.cast('int32').eval(), w.cast('int32').eval(), opts).explain();
      expect(ints, ints).toMatch(/program: 2 kernels/);
      expect(ints, ints).toMatch(/kernel C\S+: fuses (pad )?contiguous\n/);
      expect(ints, ints).not.toMatch(/where|concat|iota/);
    }
  });

  it('dtypes: int32 stays int32, float32 stays float32; avgPool of ints is float64', () => {
    expect(conv2d(X().cast('int32'), Wt().cast('int32')).dtype).toBe('int32');
    expect(conv2d(X().cast('float32'), Wt().cast('float32')).dtype).toBe('float32');
    expect(avgPool2d(P().cast('int32'), 2).dtype).toBe('float64');
    expect(maxPool2d(P().cast('float32'), 2).dtype).toBe('float32');
  });
  it('gradients flow: d/dx sum(conv2d(x, w, stride 2, padding 1)) adds w at every pixel each output reads', () => {
    const w = seq([3, 2, 3, 3]);
    const g = grad((x: Tensor) => conv2d(x, w, { stride: 2, padding: 1 }).sum(), { argnums: 0 })(seq([1, 2, 4, 4]));
    expectValues(unsigned(g.eval(TS).data()), [-6.0, 10.0, -6.0, 9.0, 10.0, -13.0, 10.0, -4.0, -6.0, 10.0, -6.0, 9.0, 6.0, -10.0, 6.0, -1.0, -3.0, 5.0, -3.0, 1.0, 5.0, -12.0, 5.0, -9.0, -3.0, 5.0, -3.0, 1.0, 9.0, -15.0, 9.0, -9.0], 'grad');
  });
});

/**
 * conv2d's gradients by their definition, in plain loops: every output (n, o, i, j) reads
 * x[n, g·Cg + c, i·sh − top + a·dh, j·sw − left + b·dw] · w[o, c, a, b] for pixels inside x, so with
 * the cotangent ct it adds ct·w to dx there and ct·x to dw[o, c, a, b]. An independent oracle: no
 * tensor op, no view, no pad.
 */
function convGradsByLoops(x: number[], [N, C, H, W]: readonly number[], w: number[], [O, Cg, KH, KW]: readonly number[], ct: number[], [OH, OW]: readonly number[],
  { stride: [sh, sw], pad: [top, left], dilation: [dh, dw], groups }: { stride: number[]; pad: number[]; dilation: number[]; groups: number }) {
  const dx = new Array<number>(x.length).fill(0), dwt = new Array<number>(w.length).fill(0);
  const Og = O / groups;
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    const g = ct[((n * O + o) * OH + i) * OW + j]!;
    for (let c = 0; c < Cg; c++) for (let a = 0; a < KH; a++) for (let b = 0; b < KW; b++) {
      const h = i * sh - top + a * dh, v = j * sw - left + b * dw;
      if (h < 0 || h >= H || v < 0 || v >= W) continue;
      const xi = ((n * C + Math.floor(o / Og) * Cg + c) * H + h) * W + v, wi = ((o * Cg + c) * KH + a) * KW + b;
      dx[xi] += g * w[wi]!;
      dwt[wi] += g * x[xi]!;
    }
  }
  void C;
  return { dx, dw: dwt };
}

describe('conv2d gradients against loops over the definition', () => {
  const vals = (t: Tensor) => Array.from(t.eval(TS).data(), Number);
  // [what, x shape, w shape, options, the same geometry for the loops: stride, padding before (top, left), dilation]
  const CASES: [string, number[], number[], { stride?: [number, number]; padding?: number | [number, number] | 'same'; dilation?: [number, number]; groups?: number }, { stride: number[]; pad: number[]; dilation: number[]; groups: number }][] = [
    ['stride 2, padding 1', [2, 3, 6, 5], [4, 3, 3, 3], { stride: [2, 2], padding: 1 }, { stride: [2, 2], pad: [1, 1], dilation: [1, 1], groups: 1 }],
    ["'same', dilation 2", [1, 2, 7, 6], [3, 2, 3, 3], { padding: 'same', dilation: [2, 2] }, { stride: [1, 1], pad: [2, 2], dilation: [2, 2], groups: 1 }],
    ['groups 2, stride [1, 2], padding [2, 1], a 2×3 kernel', [2, 4, 5, 7], [6, 2, 2, 3], { groups: 2, stride: [1, 2], padding: [2, 1] }, { stride: [1, 2], pad: [2, 1], dilation: [1, 1], groups: 2 }],
    ['valid, dilation [2, 1], stride [2, 1]', [1, 3, 8, 5], [2, 3, 3, 2], { dilation: [2, 1], stride: [2, 1] }, { stride: [2, 1], pad: [0, 0], dilation: [2, 1], groups: 1 }],
  ];
  for (const backend of ['ts', 'c'] as const) {
    it.each(CASES)(`%s (${backend}): d/dx and d/dw of sum(conv2d(x, w) · ct), and through an NHWC x`, (_name, xs, ws, opts, geo) => {
      const x = seq(xs), w = seq(ws).flip(0);
      const y = conv2d(x, w, opts);
      const ct = seq([...y.shape]).mul(2).add(1);
      const f = (a: Tensor, b: Tensor) => conv2d(a, b, opts).mul(ct).sum();
      const [gx, gw] = grad(f)(x, w) as Tensor[];
      const nhwc = grad((a: Tensor) => conv2d(a, w, { ...opts, layout: 'NHWC' }).mul(ct.transpose([0, 2, 3, 1])).sum(), { argnums: 0 })(x.transpose([0, 2, 3, 1])) as Tensor;
      const [ex, ew, en] = [gx!, gw!, nhwc.transpose([0, 3, 1, 2])].map((t) => t.eval({ backend }));
      const want = convGradsByLoops(vals(x), xs, vals(w), ws, vals(ct), y.shape.slice(2), geo);
      expectValues(unsigned(ex!.data()), want.dx, 'dx');
      expectValues(unsigned(ew!.data()), want.dw, 'dw');
      expectValues(unsigned(en!.data()), want.dx, 'dx through NHWC');
    });
  }
});

describe('conv2d out of memory', () => {
  it('scratch it cannot allocate is a TensorError, not an unwritten output (a child process with 3 GB of address space)', () => {
    // Each thread copies one image's channels into a zero-bordered buffer: 576 MB here, for a 576 MB x.
    // Before, a failed allocation returned from the kernel and left the output as it was.
    const script = `
import { conv2d, ones, zeros } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
const x = zeros([1, 1, 12000, 12000], 'float32').eval();
try { conv2d(x, ones([1, 1, 3, 3], 'float32'), { padding: 1 }).eval(); console.log('no error'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const out = execFileSync('bash', ['-c', `ulimit -v 3000000 && exec ${JSON.stringify(process.execPath)} --input-type=module -e "$0"`, script], {
      encoding: 'utf8', env: { ...process.env, TENSORFUSE_THREADS: '2' },
    });
    expect(out.trim()).toMatch(/^TensorError: conv2d: out of memory: its loops need \d+ bytes of scratch per thread/);
  });
});

describe('conv1d', () => {
  // Expected values from the nested python loops of a reference conv1d (cross-correlation, zero padding), run on
  // x = np.arange(56.).reshape(2, 4, 7) % 5 - 2 and w = np.arange(36.).reshape(6, 2, 3) % 4 - 1.5.
  const x = () => arange(56).cast('float64').reshape([2, 4, 7]).mod(5).sub(2);
  const w = () => arange(36).cast('float64').reshape([6, 2, 3]).mod(4).sub(1.5);
  for (const o of [{ backend: 'ts' }, { backend: 'c' }] as const) {
    it(`groups 2; stride 2, padding 1, dilation 2 and a bias; NLC; 'same' (${o.backend})`, () => {
      expectValues(conv1d(x(), w(), { groups: 2 }).eval(o).data(), [1.0, 1.5, 7.0, -5.0, -4.5, 1.0, -4.5, -5.0, 7.0, 1.5, 1.0, 1.5, 7.0, -5.0, -4.5, 1.5, 1.0, -4.5, -5.0, 7.0, -4.5, 1.0, 1.5, 7.0, -5.0, 1.5, 1.0, -4.5, -5.0, 7.0, -5.0, -4.5, 1.0, 1.5, 7.0, 7.0, 1.5, 1.0, -4.5, -5.0, -5.0, -4.5, 1.0, 1.5, 7.0, -5.0, 7.0, 1.5, 1.0, -4.5, 7.0, -5.0, -4.5, 1.0, 1.5, -5.0, 7.0, 1.5, 1.0, -4.5], 'conv1d groups 2');
      const b = tensor([1, 2, 3, 4, 5, 6]);
      const y = conv1d(x(), w(), { stride: 2, padding: 1, dilation: 2, groups: 2, bias: b }).eval(o);
      expect(y.shape).toEqual([2, 6, 3]);
      expectValues(y.data(), [1.5, 5.5, -2.5, -3.5, 4.5, 0.5, 3.5, 7.5, -0.5, 4.0, -0.5, 5.5, 5.0, 6.5, 8.5, 6.0, 1.5, 7.5, 0.5, -3.0, 6.5, 7.5, -2.0, 1.5, 2.5, -1.0, 8.5, 7.5, 5.5, 4.0, 6.5, 0.5, 5.0, 9.5, 7.5, 6.0], 'conv1d stride 2 padding 1 dilation 2 bias');
      const nlc = conv1d(x().transpose([0, 2, 1]), w(), { groups: 2, layout: 'NLC' }).transpose([0, 2, 1]).eval(o);
      expectValues(nlc.data(), [1.0, 1.5, 7.0, -5.0, -4.5, 1.0, -4.5, -5.0, 7.0, 1.5, 1.0, 1.5, 7.0, -5.0, -4.5, 1.5, 1.0, -4.5, -5.0, 7.0, -4.5, 1.0, 1.5, 7.0, -5.0, 1.5, 1.0, -4.5, -5.0, 7.0, -5.0, -4.5, 1.0, 1.5, 7.0, 7.0, 1.5, 1.0, -4.5, -5.0, -5.0, -4.5, 1.0, 1.5, 7.0, -5.0, 7.0, 1.5, 1.0, -4.5, 7.0, -5.0, -4.5, 1.0, 1.5, -5.0, 7.0, 1.5, 1.0, -4.5], 'conv1d NLC');
      expect(conv1d(x(), w(), { groups: 2, padding: 'same' }).shape).toEqual([2, 6, 7]);
    });
  }
  it('errors name conv1d', () => {
    expect(() => conv1d(x().reshape([8, 7]), w())).toThrow(/conv1d: x must be a 3-D tensor \[N, C, L\]/);
    expect(() => conv1d(x(), w().reshape([6, 6]))).toThrow(/conv1d: w must be a 3-D tensor/);
    expect(() => conv1d(x(), w(), { stride: 0 })).toThrow(/conv1d: stride must be an integer >= 1/);
    expect(() => conv1d(x(), w(), { layout: 'NHWC' as never })).toThrow(/conv1d: layout must be 'NCL' or 'NLC'/);
  });
});

describe('pooling gradients', () => {
  const x = () => tensor(Array.from({ length: 16 }, (_, i) => i), { shape: [1, 1, 4, 4] });
  it('maxPool2d: 1 at each window\'s maximum (by hand: the bottom-right pixel of each 2×2 window of arange(16))', () => {
    const g = grad((t: Tensor) => maxPool2d(t, 2).sum(), { argnums: 0 })(x());
    expectValues(g.eval(TS).data(), [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1], 'grad maxPool2d');
  });
  it('avgPool2d: 1/4 at every pixel of the non-overlapping 2×2 windows', () => {
    const g = grad((t: Tensor) => avgPool2d(t, 2).sum(), { argnums: 0 })(x());
    expectValues(g.eval(TS).data(), Array(16).fill(0.25), 'grad avgPool2d');
  });
});

describe('errors name the op and what was wrong', () => {
  const CASES: [string, () => unknown, RegExp][] = [
    ['x not 4-D', () => conv2d(seq([3, 5, 5]), Wt()), /^conv2d: x must be a 4-D tensor \[N, C, H, W\], got shape \[3,5,5\]/],
    ['w not 4-D', () => conv2d(X(), seq([4, 3, 3])), /^conv2d: w must be a 4-D tensor/],
    ['channels', () => conv2d(X(), seq([4, 2, 3, 3])), /^conv2d: w \[4,2,3,3\] has 2 input channels per group, but x \[2,3,5,5\] has 3 channels in 1 group/],
    ['groups', () => conv2d(X(), Wt(), { groups: 2 }), /^conv2d: 3 input and 4 output channels do not divide into 2 groups/],
    ['kernel too large', () => conv2d(seq([1, 3, 2, 2]), Wt()), /^conv2d: the kernel spans 3×3 pixels \(dilation included\) but the padded input is 2×2/],
    ['stride 0', () => conv2d(X(), Wt(), { stride: 0 }), /^conv2d: stride must be an integer >= 1/],
    ['negative padding', () => conv2d(X(), Wt(), { padding: -1 }), /^conv2d: padding must be an integer >= 0/],
    ['padding word', () => conv2d(X(), Wt(), { padding: 'full' as never }), /^conv2d: padding must be 'valid', 'same'/],
    ['bias length', () => conv2d(X(), Wt(), { bias: tensor([1, 2]) }), /^conv2d: bias must be a 1-D tensor of the 4 output channels/],
    ['layout', () => conv2d(X(), Wt(), { layout: 'CHWN' as never }), /^conv2d: layout must be 'NCHW' or 'NHWC'/],
    ['options', () => conv2d(X(), Wt(), 3 as never), /^conv2d: options must be an object/],
    ['pool kernel', () => maxPool2d(P(), 0), /^maxPool2d: kernel size must be an integer >= 1/],
    ['pool too large', () => avgPool2d(P(), 6), /^avgPool2d: the kernel spans 6×6 pixels/],
    ['too many taps', () => maxPool2d(tensor(new Float64Array(0), { shape: [0, 1, 100, 100] }), 65), /^maxPool2d: a 65×65 kernel has more than 4096 taps/],
    ['countIncludePad', () => avgPool2d(P(), 2, { countIncludePad: 'yes' as never }), /^avgPool2d: countIncludePad must be a boolean/],
  ];
  it.each(CASES)('%s', (_n, call, message) => {
    expect(call).toThrow(TensorError);
    expect(call).toThrow(message);
  });
  it('shape errors are ShapeErrors', () => expect(() => conv2d(X(), seq([4, 2, 3, 3]))).toThrow(ShapeError));
});
