package dev.propel.kernel;

/**
 * Run in a child JVM by {@link KernelsProviderTest}: prints the name of the kernels that
 * {@link KernelsProvider#create(int)} picks for that JVM's flags.
 */
public final class KernelsProbeMain {

    private KernelsProbeMain() {
    }

    public static void main(String[] args) {
        try (Kernels kernels = KernelsProvider.create(2)) {
            System.out.println(kernels.name());
        }
    }
}
