package dev.propel.testkit;

import dev.propel.kernel.KernelsProvider;
import dev.propel.spi.KernelFamily;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

/**
 * The contracts of a plugin's own kernel family as JUnit Jupiter tests: extend it, give the family and
 * the probes (uses of its methods), and {@link KernelFamilyChecks} runs every probe on the scalar and the
 * vector implementation with the same seeded inputs, on sizes with tails, and compares them.
 *
 * <pre>{@code
 * class CubeKernelsContractTest extends KernelFamilyContract<CubeKernels> {
 *     @Override
 *     protected KernelFamily<CubeKernels> family() {
 *         return CubeKernels.family();
 *     }
 *
 *     @Override
 *     protected List<KernelProbe<CubeKernels>> probes() {
 *         return List.of(KernelProbe.bitwise("cube", (k, rng, n) -> {
 *             float[] x = KernelProbe.uniform(rng, n, -2, 2);
 *             float[] y = new float[n];
 *             k.cube(x, y, n);
 *             return y;
 *         }));
 *     }
 * }
 * }</pre>
 *
 * The subclass needs a no-argument constructor: the JIT-independence check instantiates it in a child JVM.
 * Without the Vector API module, or for a family without a vector implementation, the comparisons are
 * skipped (reported as aborted), since there is nothing to compare.
 *
 * @param <T> the family's interface
 */
public abstract class KernelFamilyContract<T> {

    /** The family under test, as the plugin registers it. */
    protected abstract KernelFamily<T> family();

    /** The uses of the family's methods to compare; together they should call every method. */
    protected abstract List<KernelProbe<T>> probes();

    /**
     * Runs {@link KernelFamilyChecks#vectorMatchesScalar} for every probe: the Vector API kernels agree with the
     * scalar twin within the probe's tolerance.
     */
    @TestFactory
    public Stream<DynamicTest> vectorMatchesScalar() {
        KernelFamily<T> family = family();
        return probes().stream().map(p -> DynamicTest.dynamicTest(p.name(), () ->
                KernelFamilyChecks.vectorMatchesScalar(family, vector(family), p)));
    }

    /**
     * Runs {@link KernelFamilyChecks#jitIndependence}: the bitwise probes give the same bits interpreted ({@code
     * -Xint}) as compiled by C2.
     */
    @Test
    public void jitIndependence() {
        vector(family());
        Assumptions.assumeTrue(probes().stream().anyMatch(KernelProbe::exact), "no bitwise probes");
        KernelFamilyChecks.jitIndependence(this);
    }

    private static <T> T vector(KernelFamily<T> family) {
        Assumptions.assumeTrue(KernelsProvider.vectorApiAvailable(),
                "the Vector API module is not enabled (--add-modules " + KernelsProvider.VECTOR_MODULE + ")");
        T vector = family.vectorOrNull();
        Assumptions.assumeTrue(vector != null, family.type().getSimpleName() + " has no vector implementation");
        return vector;
    }
}
