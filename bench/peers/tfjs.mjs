/**
 * TensorFlow.js on its pure-JavaScript CPU backend (`@tensorflow/tfjs-core` +
 * `@tensorflow/tfjs-backend-cpu`; not tfjs-node, which downloads native binaries). Production mode:
 * no debug checks and no "install tfjs-node" banner. Every timed call disposes what it made, so memory
 * stays flat; tfjs has no float64 and no in-place ops.
 */
import { register } from 'node:module';

let tf;

/** Loads tfjs once, or returns { skipped: reason }. */
export async function loadTfjs() {
  if (tf) return tf;
  try {
    const core = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    // tf.variableGrads (T2) needs the gradient functions, which load only through this resolution hook
    register('./tfjs-resolve.mjs', import.meta.url);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    core.enableProdMode();
    await core.setBackend('cpu');
    tf = core;
    return tf;
  } catch (e) {
    return { skipped: `@tensorflow/tfjs-core / tfjs-backend-cpu not installed (npm i -D @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu): ${e.message.split('\n')[0]}` };
  }
}

/** Runs `fn` inside tidy and disposes its result: one timed tfjs call. */
export const run = (fn) => () => tf.dispose(tf.tidy(fn));

/** Runs `fn` inside tidy and returns its values (for the checks). */
export const values = (fn) => {
  const t = tf.tidy(fn);
  const v = t.dataSync();
  t.dispose();
  return v;
};
