package dev.propel.testkit;

import dev.propel.spi.KernelFamily;

import java.lang.reflect.Constructor;
import java.util.zip.CRC32;

/**
 * Prints, for every bitwise probe of a {@link KernelFamilyContract} and every size of
 * {@link KernelFamilyChecks#SIZES}, a CRC of the exact bits the vector implementation produces. With the
 * argument {@code warm}, each probe first runs often enough for C2 to compile the kernels (run the JVM with
 * {@code -Xbatch}). {@link KernelFamilyChecks#jitIndependence} runs it once under {@code -Xint} and once
 * warm and compares the outputs.
 */
public final class KernelFamilyFingerprint {
    private static final int WARM_SIZE = 67;
    private static final int WARM_CALLS = 10_000;

    private KernelFamilyFingerprint() {
    }

    /** Arguments: the contract's class name, then optionally {@code warm}. */
    public static void main(String[] args) throws ReflectiveOperationException {
        if (args.length < 1) throw new IllegalArgumentException("usage: KernelFamilyFingerprint <contract class> [warm]");
        boolean warm = args.length > 1 && args[1].equals("warm");
        Constructor<?> ctor = Class.forName(args[0]).getDeclaredConstructor();
        ctor.setAccessible(true);
        print((KernelFamilyContract<?>) ctor.newInstance(), warm);
    }

    private static <T> void print(KernelFamilyContract<T> contract, boolean warm) {
        KernelFamily<T> family = contract.family();
        T vector = family.vectorOrNull();
        if (vector == null) throw new IllegalStateException(family.type().getName() + " has no vector implementation here");
        for (KernelProbe<T> probe : contract.probes()) {
            if (!probe.exact()) continue;
            if (warm) {
                for (int i = 0; i < WARM_CALLS; i++) KernelFamilyChecks.run(probe, vector, WARM_SIZE);
            }
            for (int n : KernelFamilyChecks.SIZES) {
                CRC32 crc = new CRC32();
                for (float f : KernelFamilyChecks.run(probe, vector, n)) crc.update(Float.floatToRawIntBits(f));
                System.out.println(probe.name() + " n=" + n + " " + Long.toHexString(crc.getValue()));
            }
        }
    }
}
