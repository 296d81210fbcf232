package dev.propel;

import dev.propel.fakes.FakeCorePlugin;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only the registry that owns the kernels stops their threads; a plugin given the kernels cannot. */
class KernelOwnershipTest {

    @Test
    void aPluginCannotCloseTheRegistrysKernels() {
        try (Propel propel = Propel.builder().threads(2).plugin(new FakeCorePlugin()).build()) {
            Kernels k = propel.kernels();
            if (KernelsProvider.vectorApiAvailable()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, k::close);
                assertTrue(e.getMessage().contains("belong to the Propel instance"), e.getMessage());
            } else {
                k.close(); // scalar kernels own no threads: closing them is harmless
            }
            // The kernels still work after the refused close: a product large enough to be split over the threads.
            int n = 256;
            float[] a = new float[n * n];
            java.util.Arrays.fill(a, 1f);
            float[] c = new float[n * n];
            k.gemm(false, false, n, n, n, 1f, a, 0, n, a, 0, n, 0f, c, 0, n);
            assertEquals(n, c[n * n - 1]);
        }
    }

    @Test
    void unclaimedKernelsCloseAndClaimedOnesOnlyThroughTheirCloser() {
        Kernels free = KernelsProvider.create(2, w -> { });
        free.close();
        Kernels owned = KernelsProvider.create(2, w -> { });
        Runnable closer = KernelsProvider.claim(owned);
        if (KernelsProvider.vectorApiAvailable()) {
            assertThrows(IllegalStateException.class, owned::close);
            assertThrows(IllegalStateException.class, () -> KernelsProvider.claim(owned));
        }
        closer.run();
    }
}
