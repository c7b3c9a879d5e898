package ser.pipeline.linear;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4: the two-loop recursion) with a
 * backtracking Armijo line search, for smooth strictly convex objectives such as L2-regularized
 * logistic regression. Strict convexity guarantees the curvature condition {@code s·y > 0}
 * without a Wolfe line search; a pair that violates it numerically is skipped.
 *
 * <p>Hand-written because no small, maintained pure-Java L-BFGS is on Maven Central: Commons
 * Math 3 and Hipparchus have none, Smile's is GPL-3 and brings its whole math stack, and
 * Stanford CoreNLP's is inside a 5 MB NLP library.
 */
public final class Lbfgs {

    /** An objective that writes its gradient at {@code x} into {@code gradient} and returns its value. */
    @FunctionalInterface
    public interface Objective {
        double valueAndGradient(double[] x, double[] gradient);
    }

    /**
     * @param memory        correction pairs kept (m)
     * @param maxIterations upper bound on iterations
     * @param tolerance     stop when the largest absolute gradient component is at most this
     */
    public record Options(int memory, int maxIterations, double tolerance) {
        public Options {
            if (memory <= 0 || maxIterations <= 0 || !(tolerance > 0)) {
                throw new IllegalArgumentException("memory and iterations must be positive, tolerance > 0");
            }
        }
    }

    /**
     * @param x          the minimizer found
     * @param value      the objective there
     * @param iterations iterations taken
     * @param converged  whether the gradient tolerance was reached (else: iteration cap, or no
     *                   further decrease possible in double precision)
     */
    public record Result(double[] x, double value, int iterations, boolean converged) {
    }

    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 50;

    private Lbfgs() {
    }

    /** Minimizes {@code f} from {@code start} (not modified). */
    public static Result minimize(Objective f, double[] start, Options options) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        Deque<double[][]> pairs = new ArrayDeque<>();
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        int iteration = 0;
        while (true) {
            if (maxAbs(g) <= options.tolerance()) {
                return new Result(x, fx, iteration, true);
            }
            if (iteration >= options.maxIterations()) {
                return new Result(x, fx, iteration, false);
            }
            double[] d = direction(g, pairs);
            double slope = dot(g, d);
            if (!(slope < 0)) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                pairs.clear();
                d = negate(g);
                slope = dot(g, d);
            }
            // The first step has no curvature information: scale it to unit length.
            double step = pairs.isEmpty() ? Math.min(1.0, 1.0 / Math.sqrt(dot(g, g))) : 1.0;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int k = 0; k < MAX_BACKTRACKS; k++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                fNew = f.valueAndGradient(xNew, gNew);
                if (Double.isFinite(fNew) && fNew <= fx + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            iteration++;
            if (!accepted || fNew >= fx && maxAbs(gNew) >= maxAbs(g)) {
                // No decrease left at double precision: the optimum is as close as it gets.
                return new Result(x, fx, iteration, maxAbs(g) <= options.tolerance());
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-12 * dot(y, y)) {
                if (pairs.size() == options.memory()) {
                    pairs.removeFirst();
                }
                pairs.addLast(new double[][] {s, y, {1.0 / sy}});
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
        }
    }

    /** {@code -H g} by the two-loop recursion, with the initial Hessian scaled by {@code s·y / y·y}. */
    private static double[] direction(double[] g, Deque<double[][]> pairs) {
        double[] q = g.clone();
        int m = pairs.size();
        double[] alpha = new double[m];
        double[][][] list = pairs.toArray(new double[0][][]);
        for (int k = m - 1; k >= 0; k--) {
            double[] s = list[k][0];
            double[] y = list[k][1];
            alpha[k] = list[k][2][0] * dot(s, q);
            axpy(-alpha[k], y, q);
        }
        if (m > 0) {
            double[] y = list[m - 1][1];
            double gamma = 1.0 / (list[m - 1][2][0] * dot(y, y));
            for (int i = 0; i < q.length; i++) {
                q[i] *= gamma;
            }
        }
        for (int k = 0; k < m; k++) {
            double[] s = list[k][0];
            double[] y = list[k][1];
            double beta = list[k][2][0] * dot(y, q);
            axpy(alpha[k] - beta, s, q);
        }
        return negate(q);
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
