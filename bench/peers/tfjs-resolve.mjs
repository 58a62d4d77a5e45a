/**
 * A module-resolution hook for the tfjs peer: tfjs-core ships its gradient functions only as ES modules
 * with extension-less relative imports (`import ... from '../ops/add'`), which Node's ESM loader refuses.
 * Inside @tensorflow packages, a relative specifier that does not resolve is retried with `.js` (and
 * `/index.js`), so `register_all_gradients.js` loads and tf.variableGrads works (workload T2).
 */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (!context.parentURL?.includes('/@tensorflow/') || !specifier.startsWith('.')) throw e;
    try { return await next(`${specifier}.js`, context); } catch { return next(`${specifier}/index.js`, context); }
  }
}
