/**
 * OpenBLAS `cblas_sgemm` through koffi: the matmul roofline. Debian's OpenBLAS is found by soname or
 * at its usual paths (TENSORFUSE_BENCH_OPENBLAS names another); it runs with the same thread count as
 * tensorfuse (`openblas_set_num_threads`).
 */
import { existsSync } from 'node:fs';
import { arch } from 'node:os';
import koffi from 'koffi';

const TRIPLET = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[arch()] ?? `${arch()}-linux-gnu`;
const CANDIDATES = [
  'libopenblas.so.0',
  `/usr/lib/${TRIPLET}/libopenblas.so.0`,
  `/usr/lib/${TRIPLET}/openblas-pthread/libopenblas.so.0`,
  `/usr/lib/${TRIPLET}/openblas-openmp/libopenblas.so.0`,
  `/usr/lib/${TRIPLET}/openblas-serial/libopenblas.so.0`,
  '/usr/lib64/libopenblas.so.0',
  '/usr/lib/libopenblas.so.0',
];

export const INSTALL_HINT = 'OpenBLAS not found: install it with `sudo apt-get install libopenblas0-pthread` (Debian/Ubuntu), or set TENSORFUSE_BENCH_OPENBLAS to the path of libopenblas.so';

const RowMajor = 101;
const NoTrans = 111;

/** Loads OpenBLAS, or returns { skipped: reason }. */
export function loadOpenBLAS() {
  const paths = process.env.TENSORFUSE_BENCH_OPENBLAS ? [process.env.TENSORFUSE_BENCH_OPENBLAS] : CANDIDATES;
  for (const path of paths) {
    if (path.startsWith('/') && !existsSync(path)) continue;
    let lib;
    try {
      lib = koffi.load(path);
    } catch {
      continue;
    }
    const sgemm = lib.func('void cblas_sgemm(int order, int transA, int transB, int M, int N, int K, float alpha, const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc)');
    const optional = (decl) => { try { return lib.func(decl); } catch { return undefined; } };
    const dgemm = optional('void cblas_dgemm(int order, int transA, int transB, int M, int N, int K, double alpha, const double *A, int lda, const double *B, int ldb, double beta, double *C, int ldc)');
    const setThreads = optional('void openblas_set_num_threads(int n)');
    const getConfig = optional('const char *openblas_get_config()');
    const coreName = optional('const char *openblas_get_corename()');
    return {
      path,
      config: [getConfig?.(), coreName ? `core ${coreName()}` : undefined].filter(Boolean).join(', '),
      setThreads: (n) => setThreads?.(n),
      /** C = A·B for row-major n×k · k×m float32 matrices. */
      matmul: (a, b, c, n, k, m) => sgemm(RowMajor, NoTrans, NoTrans, n, m, k, 1, a, k, b, m, 0, c, m),
      /** The same for float64 (cblas_dgemm), undefined if the library has none. */
      matmul64: dgemm && ((a, b, c, n, k, m) => dgemm(RowMajor, NoTrans, NoTrans, n, m, k, 1, a, k, b, m, 0, c, m)),
      /** `batch` float32 products one after another (a loop over cblas_sgemm): what a batched matmul competes with. */
      batched: (a, b, c, batch, n, k, m) => {
        for (let i = 0; i < batch; i++) sgemm(RowMajor, NoTrans, NoTrans, n, m, k, 1, a.subarray(i * n * k), k, b.subarray(i * k * m), m, 0, c.subarray(i * n * m), m);
      },
    };
  }
  return { skipped: INSTALL_HINT };
}
