package dev.propel.testkit;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One use of a plugin's kernel family that the {@link KernelFamilyContract} runs on the scalar and on
 * the vector implementation with the same random inputs, and compares. The probe draws its inputs from
 * {@code rng} (the same seed for both implementations), calls the kernels on {@code n} elements and
 * returns everything the call wrote (outputs and updated state, concatenated).
 *
 * <pre>{@code
 * KernelProbe.bitwise("cube", (k, rng, n) -> {
 *     float[] x = KernelProbe.uniform(rng, n, -2, 2);
 *     float[] y = new float[n];
 *     k.cube(x, y, n);
 *     return y;
 * })
 * }</pre>
 *
 * @param name     names the probe in failures
 * @param relative the relative tolerance; 0 with {@code absolute} 0 means the results must be bitwise equal
 * @param absolute the absolute tolerance
 * @param run      the call
 * @param <T>      the family's interface
 */
public record KernelProbe<T>(String name, double relative, double absolute, Run<T> run) {

    /** The call a probe makes. */
    @FunctionalInterface
    public interface Run<T> {
        /**
         * Calls the family's methods on {@code kernels} with inputs of size {@code n} drawn from {@code rng},
         * returning the numbers to compare.
         */
        float[] apply(T kernels, RandomGenerator rng, int n);
    }

    /**
     * Checks the name, the call and the tolerances; throws {@link IllegalArgumentException} for a negative or NaN
     * tolerance.
     */
    public KernelProbe {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(run, "run");
        if (!(relative >= 0) || !(absolute >= 0)) {
            throw new IllegalArgumentException("probe '" + name + "': tolerances must be >= 0, got relative " + relative
                    + " and absolute " + absolute);
        }
    }

    /**
     * A probe whose vector results must have exactly the scalar twin's bits (any NaN matches any NaN), for
     * kernels that perform the same IEEE operations in the same order. The contract also checks that its
     * vector results do not depend on whether the JIT has compiled the code.
     */
    public static <T> KernelProbe<T> bitwise(String name, Run<T> run) {
        return new KernelProbe<>(name, 0, 0, run);
    }

    /**
     * A probe whose vector results may differ from the scalar ones by {@code |v − s| <= absolute + relative·|s|}
     * (sums in another order, transcendental functions in float); NaN and infinities must still match.
     */
    public static <T> KernelProbe<T> within(String name, double relative, double absolute, Run<T> run) {
        return new KernelProbe<>(name, relative, absolute, run);
    }

    /** True when the results must be bitwise equal. */
    public boolean exact() {
        return relative == 0 && absolute == 0;
    }

    /** The arrays one after the other in one array: a probe's several outputs as the one result it returns. */
    public static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** {@code n} values drawn uniformly from {@code [lo, hi)}: a helper for probes. */
    public static float[] uniform(RandomGenerator rng, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextDouble(lo, hi);
        return x;
    }

    @Override
    public String toString() {
        return name;
    }
}
