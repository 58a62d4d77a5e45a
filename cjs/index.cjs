'use strict';
// require('tensorfuse') from CommonJS. tensorfuse is an ES module (its code reads import.meta.url and
// loads koffi as ESM), so this entry re-exports the same module instance through require(esm) rather than
// a second CommonJS build (two builds would hold two kernel caches and two Tensor classes). Node 20.19+
// and 22.12+ can require() an ES module; older ones throw ERR_REQUIRE_ESM, which is turned into a
// sentence saying what works instead.
try {
  module.exports = require('../dist/index.js');
} catch (e) {
  if (!e || e.code !== 'ERR_REQUIRE_ESM') throw e;
  const err = new Error(
    `require('tensorfuse'): tensorfuse is an ES module, and this Node (${process.version}) cannot require() one; ` +
      "use Node 20.19+ or 22.12+ (where require() of an ES module works), or load it with `const tf = await import('tensorfuse')`",
    { cause: e },
  );
  err.code = 'ERR_REQUIRE_ESM';
  throw err;
}
