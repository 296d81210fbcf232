package dev.propel.data;

import dev.propel.tensor.Tensor;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The adding problem (Hochreiter &amp; Schmidhuber, 1997), the classic test of whether a recurrent network
 * can carry information across many steps: each example is a sequence of T pairs (value, marker), the
 * values drawn from U(0, 1), the marker 1 at exactly two steps — one in the first half, one in the second
 * half of the sequence (the form of Le, Jaitly and Hinton, 2015) — and 0 elsewhere. The target is the sum
 * of the two marked values. Always predicting 1 gives the baseline mean squared error Var(u1 + u2) = 1/6
 * ≈ 0.167; a model that learned the task gets far below it.
 *
 * <p>Features are {@code [n, T, 2]} (value, marker), targets {@code [n, 1]}: a regression dataset for a
 * model with input {@code [T, 2]}, one output and the {@code mse} loss. The data follow from T and the seed
 * alone, so every run and every model sees the same sequences.
 */
public final class AddingProblem {
    /** The {@code --data} prefix: {@code adding:T} or {@code adding:T:SEED}. */
    public static final String PREFIX = "adding:";
    /** Number of training sequences generated. */
    public static final int TRAIN_SIZE = 10_000;
    /** Number of test sequences generated. */
    public static final int TEST_SIZE = 1_000;
    /** The seed used when {@code adding:T} names none. */
    public static final long DEFAULT_SEED = 1;
    /** The mean squared error of always predicting 1, the expected sum: Var(u1 + u2) = 2/12. */
    public static final double BASELINE_MSE = 1.0 / 6;

    private AddingProblem() {
    }

    /** What {@link DataSources} accepts for this source, for help texts and error messages. */
    static String describe() {
        return "'" + PREFIX + "T' or '" + PREFIX + "T:SEED' (the adding problem: " + TRAIN_SIZE + "/" + TEST_SIZE
                + " train/test sequences of T >= 2 (value, marker) pairs, generated from the seed, " + DEFAULT_SEED + " by default)";
    }

    /** Parses {@code adding:T[:SEED]} and generates the splits. */
    static TrainTest resolve(String spec) {
        String[] parts = spec.substring(PREFIX.length()).split(":", -1);
        if (parts.length > 2) throw bad(spec, "too many ':'-separated parts");
        int steps;
        long seed = DEFAULT_SEED;
        try {
            steps = Integer.parseInt(parts[0].strip());
        } catch (NumberFormatException e) {
            throw bad(spec, "the sequence length '" + parts[0] + "' is not a whole number");
        }
        if (parts.length == 2) {
            try {
                seed = Long.parseLong(parts[1].strip());
            } catch (NumberFormatException e) {
                throw bad(spec, "the seed '" + parts[1] + "' is not a whole number");
            }
        }
        return generate(steps, TRAIN_SIZE, TEST_SIZE, seed);
    }

    private static DataNotFoundException bad(String spec, String why) {
        return new DataNotFoundException("data source '" + spec + "': " + why + "; write " + describe());
    }

    /** {@code trainSize} and {@code testSize} sequences of {@code steps} pairs from {@code seed}; test follows train in the stream. */
    public static TrainTest generate(int steps, int trainSize, int testSize, long seed) {
        if (steps < 2) {
            throw new DataNotFoundException("the adding problem needs sequences of at least 2 steps (one marker in each half), "
                    + "got T = " + steps + "; write e.g. " + PREFIX + "100");
        }
        long floats = (long) Math.max(trainSize, testSize) * steps * 2;
        if (floats > Integer.MAX_VALUE - 8 || floats * Float.BYTES > Runtime.getRuntime().maxMemory() / 4) {
            throw new DataNotFoundException(String.format(Locale.ROOT, "the adding problem with T = %,d: %,d sequences of %,d "
                    + "(value, marker) pairs need %,d MB, more than this JVM can spare (-Xmx %,d MB); choose a shorter T",
                    steps, trainSize, steps, floats * Float.BYTES >> 20, Runtime.getRuntime().maxMemory() >> 20));
        }
        SplittableRandom random = new SplittableRandom(seed);
        String name = PREFIX + steps;
        Dataset train = split(name + " train", trainSize, steps, random);
        Dataset test = split(name + " test", testSize, steps, random);
        return new TrainTest(train, test);
    }

    private static Dataset split(String name, int n, int steps, SplittableRandom random) {
        float[] x = new float[n * steps * 2];
        float[] y = new float[n];
        int half = steps / 2;
        for (int i = 0; i < n; i++) {
            int base = i * steps * 2;
            for (int t = 0; t < steps; t++) x[base + 2 * t] = (float) random.nextDouble();
            int first = random.nextInt(half);
            int second = half + random.nextInt(steps - half);
            x[base + 2 * first + 1] = 1f;
            x[base + 2 * second + 1] = 1f;
            y[i] = x[base + 2 * first] + x[base + 2 * second];
        }
        return Dataset.regression(name, Tensor.of(x, n, steps, 2), Tensor.of(y, n, 1));
    }
}
