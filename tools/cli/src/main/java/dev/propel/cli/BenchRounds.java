package dev.propel.cli;

import java.util.Arrays;

/**
 * Timing for {@code propel bench}: a warm-up (the Vector API code runs boxed and slowly until C2
 * compiles it), then rounds of repeated calls, each round giving one rate. The best round is the
 * figure least disturbed by other processes; the median shows how much they disturbed it.
 */
final class BenchRounds {
    /** Rates of the timed rounds, in work units per second. */
    record Result(double best, double median, double worst, int rounds, long calls) {
    }

    private BenchRounds() {
    }

    /**
     * Runs {@code task} for about {@code warmupSeconds}, then {@code rounds} rounds of about
     * {@code roundSeconds} each (at least one call per round), and returns work-per-second figures,
     * where one call does {@code workPerCall} units of work.
     */
    static Result measure(Runnable task, double workPerCall, double warmupSeconds, int rounds, double roundSeconds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        long perRound = 1;
        do {
            long t0 = System.nanoTime();
            task.run();
            long dt = Math.max(1, System.nanoTime() - t0);
            perRound = Math.max(1, (long) (roundSeconds * 1e9 / dt));
        } while (System.nanoTime() < warmupEnd);
        double[] rates = new double[rounds];
        long calls = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < perRound; i++) task.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            rates[r] = workPerCall * perRound / seconds;
            calls += perRound;
        }
        Arrays.sort(rates);
        return new Result(rates[rounds - 1], rates[rounds / 2], rates[0], rounds, calls);
    }
}
