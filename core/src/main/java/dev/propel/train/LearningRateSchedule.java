package dev.propel.train;

/**
 * The learning rate for each epoch, from the optimizer's base rate. Epochs count from 0 here.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    float rate(float baseRate, int epoch, int totalEpochs);

    /** The base rate throughout. */
    static LearningRateSchedule constant() {
        return (base, epoch, total) -> base;
    }

    /** {@code base · gamma^⌊epoch / every⌋} (Keras/PyTorch StepLR). */
    static LearningRateSchedule step(int every, float gamma) {
        if (every < 1) throw new IllegalArgumentException("step schedule: 'every' must be >= 1 epoch, got " + every);
        if (!(gamma > 0)) throw new IllegalArgumentException("step schedule: gamma must be > 0, got " + gamma);
        return (base, epoch, total) -> (float) (base * Math.pow(gamma, epoch / every));
    }

    /** Cosine annealing from base to {@code minRate} over the run: {@code min + (base−min)·(1+cos(π·e/E))/2}. */
    static LearningRateSchedule cosine(float minRate) {
        return (base, epoch, total) -> (float) (minRate + (base - minRate) * 0.5 * (1 + Math.cos(Math.PI * epoch / Math.max(1, total))));
    }

    /**
     * Hinton's Forward-Forward schedule ({@code ffnew.m}): the base rate for the first half of the run,
     * then a linear decay towards 0 — {@code base · (1 + 2(E − e))/E} for the 1-based epoch {@code e > E/2}
     * (the last epoch runs at {@code base/E}).
     */
    static LearningRateSchedule linearHalf() {
        return (base, epoch, total) -> {
            int e = epoch + 1;
            return e <= total / 2.0 ? base : base * (1 + 2f * (total - e)) / total;
        };
    }

    /** Parses "constant", "step:EVERY:GAMMA" (e.g. step:3:0.5), "cosine[:MIN]" or "linear-half", for the CLI. */
    static LearningRateSchedule parse(String text) {
        String[] p = text.trim().split(":");
        try {
            return switch (p[0]) {
                case "constant" -> p.length == 1 ? constant() : fail(text);
                case "step" -> p.length == 3 ? step(Integer.parseInt(p[1]), Float.parseFloat(p[2])) : fail(text);
                case "cosine" -> p.length <= 2 ? cosine(p.length == 2 ? Float.parseFloat(p[1]) : 0f) : fail(text);
                case "linear-half" -> p.length == 1 ? linearHalf() : fail(text);
                default -> fail(text);
            };
        } catch (NumberFormatException e) {
            return fail(text);
        }
    }

    private static LearningRateSchedule fail(String text) {
        throw new IllegalArgumentException("unknown learning-rate schedule '" + text
                + "'; use constant, step:EVERY:GAMMA (e.g. step:3:0.5), cosine[:MIN_RATE] or linear-half");
    }
}
