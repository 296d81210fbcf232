package dev.propel.testkit;

import dev.propel.kernel.KernelsProvider;
import dev.propel.spi.KernelFamily;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The contracts of a plugin's own kernel family ({@link KernelFamily}): its vector implementation agrees
 * with its scalar twin, on sizes whose tails are not whole vectors, and — for bitwise probes — whether or
 * not the JIT has compiled it. Each check throws a {@link ContractFailure} naming the probe, the size and
 * the first element that differs. {@link KernelFamilyContract} runs them as JUnit tests.
 */
public final class KernelFamilyChecks {
    /** Element counts the probes run on: none a multiple of 4, so 4-, 8- and 16-lane vectors all leave a tail. */
    public static final int[] SIZES = {1, 3, 5, 7, 13, 17, 31, 33, 67, 257, 1031};

    private static final Failures FAIL = new Failures("kernel family");

    private KernelFamilyChecks() {
    }

    /** The seed a probe's inputs are drawn with for {@code n} elements: the same for both implementations and every run. */
    static long seed(KernelProbe<?> probe, int n) {
        return probe.name().hashCode() * 1_000_003L + n;
    }

    /** Runs {@code probe} on {@code kernels} with its inputs for {@code n} elements. */
    static <T> float[] run(KernelProbe<T> probe, T kernels, int n) {
        float[] out = probe.run().apply(kernels, new SplittableRandom(seed(probe, n)), n);
        if (out == null) throw new IllegalArgumentException("probe '" + probe.name() + "' returned null; return what the kernels wrote");
        return out;
    }

    /**
     * The vector implementation gives the scalar twin's results on every size of {@link #SIZES}: bitwise
     * for a {@linkplain KernelProbe#exact() bitwise} probe, within its tolerance otherwise. The scalar twin
     * must also give the same result twice (no state kept between calls).
     *
     * @param vector the vector implementation (e.g. {@link KernelFamily#vectorOrNull()}), not null
     */
    public static <T> void vectorMatchesScalar(KernelFamily<T> family, T vector, KernelProbe<T> probe) {
        String contract = "vector matches scalar";
        for (int n : SIZES) {
            String subject = subject(family, probe, n);
            float[] expected = run(probe, family.scalar(), n);
            float[] again = run(probe, family.scalar(), n);
            String repeat = difference(expected, again, 0, 0);
            if (repeat != null) {
                throw FAIL.fail(contract, subject, "the scalar twin gives another result when run again on the same inputs ("
                        + repeat + "); a kernel must keep no state between calls");
            }
            String diff = difference(expected, run(probe, vector, n), probe.relative(), probe.absolute());
            if (diff != null) {
                throw FAIL.fail(contract, subject, diff + (probe.exact()
                        ? "; a bitwise probe needs the same float operations in the same order (no fused multiply-add on"
                        + " one side only), or declare a tolerance with KernelProbe.within"
                        : ""));
            }
        }
    }

    /**
     * The bitwise probes give the same bits when the vector code runs in the interpreter ({@code -Xint}, the
     * Vector API's Java fallback) as when C2 has compiled it with intrinsics: two child JVMs run
     * {@link KernelFamilyFingerprint} on the contract's class and their outputs are compared.
     *
     * @param contract a contract whose class has a no-argument constructor
     */
    public static void jitIndependence(KernelFamilyContract<?> contract) {
        String name = "JIT independence";
        Class<?> contractClass = contract.getClass();
        List<String> interpreted = fingerprints(contractClass, "-Xint");
        List<String> compiled = fingerprints(contractClass, "-Xbatch", "warm");
        long expected = contract.probes().stream().filter(KernelProbe::exact).count() * SIZES.length;
        if (interpreted.size() != expected || compiled.size() != expected) {
            throw FAIL.fail(name, contractClass.getName(), "expected " + expected + " fingerprints (bitwise probes × sizes) but the"
                    + " interpreted JVM printed " + interpreted.size() + " and the compiled one " + compiled.size());
        }
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < interpreted.size(); i++) {
            if (!interpreted.get(i).equals(compiled.get(i))) differing.add(interpreted.get(i) + " interpreted, " + compiled.get(i) + " compiled");
        }
        if (!differing.isEmpty()) {
            throw FAIL.fail(name, contractClass.getName(), "the vector results of bitwise probes depend on JIT compilation: "
                    + differing + "; use only operations the Vector API computes exactly (add, sub, mul, div, sqrt, min, max,"
                    + " compare) in them, or declare a tolerance with KernelProbe.within");
        }
    }

    private static List<String> fingerprints(Class<?> contractClass, String jvmFlag, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", KernelsProvider.VECTOR_MODULE, jvmFlag,
                "-cp", System.getProperty("java.class.path"), KernelFamilyFingerprint.class.getName(), contractClass.getName()));
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("kernel-fingerprint", ".txt");
            err = Files.createTempFile("kernel-fingerprint", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the fingerprint JVM (" + jvmFlag + ") for " + contractClass.getName() + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("the fingerprint JVM (" + jvmFlag + ") for " + contractClass.getName() + " failed: "
                        + Files.readString(err));
            }
            return Files.readAllLines(out);
        } catch (IOException e) {
            throw new AssertionError("could not run the fingerprint JVM for " + contractClass.getName() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running the fingerprint JVM", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file left behind is harmless
        }
    }

    /** Null when {@code actual} matches {@code expected}, else a description of the first element that does not. */
    static String difference(float[] expected, float[] actual, double relative, double absolute) {
        if (expected.length != actual.length) {
            return "the scalar twin returned " + expected.length + " values but the vector implementation " + actual.length;
        }
        boolean exact = relative == 0 && absolute == 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            boolean ok;
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e) || Float.isInfinite(a) || exact) {
                ok = Float.floatToIntBits(e) == Float.floatToIntBits(a);
            } else {
                ok = Math.abs((double) a - e) <= absolute + relative * Math.abs(e);
            }
            if (!ok) {
                return "value " + i + " is " + a + " (vector) but " + e + " (scalar)"
                        + (exact ? ", bits " + Integer.toHexString(Float.floatToRawIntBits(a)) + " vs "
                        + Integer.toHexString(Float.floatToRawIntBits(e))
                        : ", more than " + (float) (absolute + relative * Math.abs(e)) + " apart");
            }
        }
        return null;
    }

    private static String subject(KernelFamily<?> family, KernelProbe<?> probe, int n) {
        return family.type().getSimpleName() + " probe '" + probe.name() + "', n = " + n;
    }
}
