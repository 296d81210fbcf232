package dev.propel.spark;

/**
 * What data-parallel steps cost, summed over the steps run: wall time of whole steps, time from
 * launching the workers' job to having the gradient sum on the driver (compute plus aggregation),
 * the slowest worker's gradient computation in each step, and the gradient bytes one worker sends per step
 * (with its layer state, for a model that has some).
 * Job time minus worker time is what distribution costs: scheduling, shipping weights, summing gradients.
 */
public final class StepStats {
    private long steps;
    private long stepNanos;
    private long jobNanos;
    private long workerNanos;
    private long gradientBytes;

    synchronized void add(long step, long job, long worker, long bytes) {
        steps++;
        stepNanos += step;
        jobNanos += job;
        workerNanos += worker;
        gradientBytes = bytes;
    }

    /** Mean time of the slowest worker's gradient computation per step, in milliseconds. */
    public synchronized double meanWorkerMillis() {
        return steps == 0 ? 0 : workerNanos / 1e6 / steps;
    }

    public synchronized long steps() {
        return steps;
    }

    /** Mean wall time of a step in milliseconds, as the driver sees it. */
    public synchronized double meanStepMillis() {
        return steps == 0 ? 0 : stepNanos / 1e6 / steps;
    }

    /** Mean time of the workers' job (gradients and their sum) per step, in milliseconds. */
    public synchronized double meanJobMillis() {
        return steps == 0 ? 0 : jobNanos / 1e6 / steps;
    }

    /** Bytes of one worker's partial: its gradient (all parameters, float32) and, for a model with layer state, the state (float64). */
    public synchronized long gradientBytes() {
        return gradientBytes;
    }
}
