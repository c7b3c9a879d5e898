package ser.dl4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct element access to the native memory of a dense, c-ordered ND4J array (through an NIO
 * view, no copy), and row-major BLAS {@code gemm} on sub-blocks of such arrays by element offset:
 * what the GRU recurrence needs to run one BLAS call and one fused Java loop per time step instead
 * of a dozen ND4J operations and views. Float and double (for gradient checks).
 */
abstract sealed class Mem permits Mem.F, Mem.D {

    final INDArray array;

    private Mem(INDArray array) {
        this.array = array;
    }

    /** Wraps {@code a}, which must own its buffer (no view), in c order. */
    static Mem of(INDArray a) {
        if (a.isView() || a.offset() != 0 || a.ordering() != 'c') {
            throw new IllegalArgumentException("need a dense c-order array that owns its buffer");
        }
        if (a.dataType() == DataType.FLOAT) {
            return new F(a);
        }
        if (a.dataType() == DataType.DOUBLE) {
            return new D(a);
        }
        throw new IllegalArgumentException("unsupported data type " + a.dataType());
    }

    abstract double get(int i);

    abstract void set(int i, double v);

    /** Copies {@code len} elements from element {@code off} into {@code dst[0..len)}. */
    abstract void read(int off, double[] dst, int len);

    /** Copies {@code src[0..len)} to elements {@code off..off+len)}. */
    abstract void write(int off, double[] src, int len);

    /**
     * {@code C[m x n] = A[m x k] * op(B) + beta * C}, row-major, blocks starting at the given
     * element offsets; {@code op(B) = B^T} with {@code B [n x k]} when {@code transB}, else
     * {@code B [k x n]}.
     */
    static void gemm(int m, int n, int k, Mem a, long offA, int lda, Mem b, long offB, int ldb, boolean transB,
                     double beta, Mem c, long offC, int ldc) {
        int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (a instanceof F fa && b instanceof F fb && c instanceof F fc) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, tb, m, n, k, 1f,
                    fa.pointer.position(offA), lda, fb.pointer.position(offB), ldb, (float) beta, fc.pointer.position(offC), ldc);
        } else if (a instanceof D da && b instanceof D db && c instanceof D dc) {
            openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, tb, m, n, k, 1.0,
                    da.pointer.position(offA), lda, db.pointer.position(offB), ldb, beta, dc.pointer.position(offC), ldc);
        } else {
            throw new IllegalArgumentException("mixed data types in gemm");
        }
    }

    static final class F extends Mem {
        private final FloatBuffer buf;
        private final FloatPointer pointer;

        F(INDArray a) {
            super(a);
            this.buf = a.data().asNioFloat();
            this.pointer = new FloatPointer(a.data().addressPointer());
        }

        @Override
        double get(int i) {
            return buf.get(i);
        }

        @Override
        void set(int i, double v) {
            buf.put(i, (float) v);
        }

        private float[] scratch = new float[0];

        private float[] scratch(int len) {
            if (scratch.length < len) {
                scratch = new float[len];
            }
            return scratch;
        }

        @Override
        void read(int off, double[] dst, int len) {
            float[] tmp = scratch(len);
            buf.get(off, tmp, 0, len);
            for (int i = 0; i < len; i++) {
                dst[i] = tmp[i];
            }
        }

        @Override
        void write(int off, double[] src, int len) {
            float[] tmp = scratch(len);
            for (int i = 0; i < len; i++) {
                tmp[i] = (float) src[i];
            }
            buf.put(off, tmp, 0, len);
        }
    }

    static final class D extends Mem {
        private final DoubleBuffer buf;
        private final DoublePointer pointer;

        D(INDArray a) {
            super(a);
            this.buf = a.data().asNioDouble();
            this.pointer = new DoublePointer(a.data().addressPointer());
        }

        @Override
        double get(int i) {
            return buf.get(i);
        }

        @Override
        void set(int i, double v) {
            buf.put(i, v);
        }

        @Override
        void read(int off, double[] dst, int len) {
            buf.get(off, dst, 0, len);
        }

        @Override
        void write(int off, double[] src, int len) {
            buf.put(off, src, 0, len);
        }
    }
}
