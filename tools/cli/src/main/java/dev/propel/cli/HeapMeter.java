package dev.propel.cli;

import dev.propel.train.BatchResult;
import dev.propel.train.EpochMetrics;
import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures the memory a training run needs. Three figures:
 * <ul>
 *   <li>{@code peakLiveBytes}: the largest heap still in use right after a full garbage collection,
 *       forced at the end of every epoch while the trainer's buffers are alive — the data, the model,
 *       the optimizer state and the training buffers (activations): what the run really holds;</li>
 *   <li>{@code peakUsedBytes}: the largest heap in use seen at the end of any batch, garbage included
 *       (depends on the collector and on -Xmx; an upper bound);</li>
 *   <li>{@code activationBytes}: the largest {@link TrainingRun#activationBytes()} seen at an epoch's end — the
 *       working arrays of the passes, the part of the heap where backprop and Forward-Forward differ.</li>
 * </ul>
 * The forced collection happens after the epoch's time was taken, so it does not count as training time.
 */
final class HeapMeter implements TrainingListener {
    /** Provenance settings keys under which training runs record the two peaks (bytes). */
    static final String PEAK_LIVE_HEAP = "peak_live_heap_bytes";
    static final String PEAK_USED_HEAP = "peak_used_heap_bytes";
    static final String ACTIVATION_BYTES = "activation_bytes";

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long peakUsed;
    private long peakLive;
    private long activation;

    /** The three figures, in bytes. */
    record Reading(long peakLiveBytes, long peakUsedBytes, long activationBytes) {

        /** The figures under their provenance keys (also the {@code --json} field names). */
        Map<String, Long> asSettings() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put(ACTIVATION_BYTES, activationBytes);
            m.put(PEAK_LIVE_HEAP, peakLiveBytes);
            m.put(PEAK_USED_HEAP, peakUsedBytes);
            return m;
        }
    }

    private long used() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void onTrainingStart(TrainingRun run) {
        peakUsed = Math.max(peakUsed, used());
    }

    @Override
    public void onBatchEnd(TrainingRun run, BatchResult batch) {
        peakUsed = Math.max(peakUsed, used());
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
        peakUsed = Math.max(peakUsed, used());
        activation = Math.max(activation, run.activationBytes());
        System.gc();
        peakLive = Math.max(peakLive, used());
    }

    Reading reading() {
        return new Reading(peakLive, peakUsed, activation);
    }

    /** "412.3 MiB". */
    static String mebibytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
