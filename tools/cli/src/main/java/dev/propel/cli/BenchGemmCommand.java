package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code propel bench gemm}: GFLOP/s of the kernels' matrix product {@code C = op(A)·op(B)} in one of
 * the three layouts the training passes use: {@code AB} (input gradient), {@code ABt} (dense forward,
 * weights stored out×in) and {@code AtB} (weight gradient). One product is 2·m·n·k operations.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = {"GFLOP/s of the matrix product C = op(A)·op(B), m×k times k×n.",
                "Example: propel bench gemm --size 1024 --layout ABt --threads 1 --json"})
final class BenchGemmCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions global;

    @Option(names = "--size", paramLabel = "N", description = "Square product N×N times N×N (default ${DEFAULT-VALUE}).",
            defaultValue = "1024")
    private int size;

    @Option(names = "--shape", paramLabel = "MxNxK",
            description = "A non-square product instead of --size, e.g. 128x512x784 (a dense forward of batch 128).")
    private String shape;

    @Option(names = "--layout", paramLabel = "L", defaultValue = "AB",
            description = "AB, ABt (B transposed) or AtB (A transposed) (default ${DEFAULT-VALUE}).")
    private String layout;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "7", description = "Timed rounds (default ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "0.3",
            description = "Length of a timed round in seconds (default ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "3",
            description = "Untimed seconds first, for the JIT to compile the Vector API code (default ${DEFAULT-VALUE}).")
    private double warmup;

    @Option(names = "--json", description = "Print one JSON object to standard output instead of text.")
    private boolean json;

    @Override
    public Integer call() {
        int[] mnk = dimensions();
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        boolean transA;
        boolean transB;
        switch (layout) {
            case "AB" -> { transA = false; transB = false; }
            case "ABt" -> { transA = false; transB = true; }
            case "AtB" -> { transA = true; transB = false; }
            default -> throw new ParameterException(spec.commandLine(),
                    "--layout must be AB, ABt or AtB, got '" + layout + "'");
        }
        checkTiming(spec, rounds, seconds, warmup);
        SplittableRandom random = new SplittableRandom(42);
        float[] a = random(random, m * k);
        float[] b = random(random, k * n);
        float[] c = new float[m * n];
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        PropelCommand root = (PropelCommand) spec.root().userObject();
        try (Propel propel = root.propel()) {
            Kernels kernels = propel.kernels();
            BenchRounds.Result r = BenchRounds.measure(
                    () -> kernels.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n),
                    2e-9 * m * n * k, warmup, rounds, seconds);
            if (json) {
                ObjectNode o = Json.object();
                o.put("benchmark", "gemm");
                o.put("m", m);
                o.put("n", n);
                o.put("k", k);
                o.put("layout", layout);
                o.put("threads", kernels.threads());
                o.put("kernels", kernels.name());
                o.put("gflops", round(r.best()));
                o.put("gflops_median", round(r.median()));
                o.put("gflops_worst", round(r.worst()));
                o.put("rounds", r.rounds());
                root.out.println(Json.write(o));
            } else {
                root.out.printf(Locale.ROOT, "gemm %dx%dx%d %s, %s: %.1f GFLOP/s (best of %d rounds; median %.1f, worst %.1f)%n",
                        m, n, k, layout, kernels.name(), r.best(), r.rounds(), r.median(), r.worst());
            }
        }
        return 0;
    }

    private int[] dimensions() {
        if (shape == null) {
            if (size < 1) {
                throw new ParameterException(spec.commandLine(), "--size must be at least 1, got " + size);
            }
            return new int[] {size, size, size};
        }
        String[] parts = shape.toLowerCase(Locale.ROOT).split("x");
        int[] mnk = new int[3];
        try {
            if (parts.length != 3) throw new NumberFormatException();
            for (int i = 0; i < 3; i++) {
                mnk[i] = Integer.parseInt(parts[i].trim());
                if (mnk[i] < 1) throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--shape must be MxNxK with three positive integers "
                    + "(C is M×N, the inner dimension K), e.g. 128x512x784; got '" + shape + "'");
        }
        return mnk;
    }

    static void checkTiming(CommandSpec spec, int rounds, double seconds, double warmup) {
        if (!(warmup >= 0) || Double.isInfinite(warmup)) {
            throw new ParameterException(spec.commandLine(), "--warmup must be a number of seconds >= 0, got " + warmup);
        }
        if (rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least 1, got " + rounds);
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new ParameterException(spec.commandLine(), "--seconds must be a positive number, got " + seconds);
        }
    }

    /** The value to 4 significant digits: enough for any timing, and never 0 for a slow but positive rate. */
    static double round(double value) {
        if (!(value > 0) || Double.isInfinite(value)) return value;
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).doubleValue();
    }

    private static float[] random(SplittableRandom random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextDouble(-1, 1);
        return x;
    }
}
