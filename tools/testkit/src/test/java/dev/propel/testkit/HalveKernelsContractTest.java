package dev.propel.testkit;

import dev.propel.spi.KernelFamily;
import dev.propel.testkit.fixtures.HalveKernels;

import java.util.List;

/** The kernel-family contract passes on a correct family, JIT-independence check included. */
class HalveKernelsContractTest extends KernelFamilyContract<HalveKernels> {

    static final KernelProbe<HalveKernels> HALVE = KernelProbe.bitwise("halve", (k, rng, n) -> {
        float[] x = KernelProbe.uniform(rng, n, -4, 4);
        float[] y = new float[n];
        k.halve(x, y, n);
        return y;
    });

    static final KernelProbe<HalveKernels> SUM = KernelProbe.within("sum", 1e-5, 1e-5,
            (k, rng, n) -> new float[]{k.sum(KernelProbe.uniform(rng, n, 0, 1), n)});

    @Override
    protected KernelFamily<HalveKernels> family() {
        return HalveKernels.family();
    }

    @Override
    protected List<KernelProbe<HalveKernels>> probes() {
        return List.of(HALVE, SUM);
    }
}
