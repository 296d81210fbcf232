package dev.propel.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Shows training progress: on a terminal, one progress bar per epoch (epoch i/N, samples done,
 * samples per second, running mean loss, time left in the epoch); everywhere, one summary line per
 * epoch (loss, train accuracy, validation loss and accuracy, seconds, throughput).
 *
 * <p>When the stream is not a terminal (CI logs, pipes, files) no bar is drawn, because a bar
 * redrawn with carriage returns becomes hundreds of lines there: only the per-epoch lines are
 * printed. {@link #toStderr(String)} decides with {@link #stderrIsTerminal()}.
 *
 * <p>Close it (or let {@link #onTrainingEnd} run) so that a bar interrupted by an exception ends its
 * line before the error is printed.
 */
public final class ProgressBarListener implements TrainingListener, AutoCloseable {

    /** System property that overrides terminal detection: {@code bar} or {@code lines}. */
    public static final String MODE_PROPERTY = "propel.progress";
    /** System property with the terminal width in columns (else {@code $COLUMNS}, else {@code stty size}, else 80). */
    public static final String COLUMNS_PROPERTY = "propel.columns";

    private final PrintStream out;
    private final boolean interactive;
    private final String validationLabel;
    private ProgressBar bar;
    private LineConsumer consumer;
    private int columns;
    private double lossSum;
    private long samples;
    private long epochStartNanos;
    private long lastBatchNanos;

    /**
     * A listener writing to {@code out}.
     * @param out             where to write (usually standard error, so standard output stays clean)
     * @param interactive     true to draw progress bars (a terminal), false for per-epoch lines only
     * @param validationLabel how the summary names the validation data, e.g. {@code "test"} or {@code "val"}
     */
    public ProgressBarListener(PrintStream out, boolean interactive, String validationLabel) {
        this.out = out;
        this.interactive = interactive;
        this.validationLabel = validationLabel;
    }

    /** Writes to standard error, with bars only if standard error is a terminal. */
    public static ProgressBarListener toStderr(String validationLabel) {
        return new ProgressBarListener(System.err, stderrIsTerminal(), validationLabel);
    }

    /**
     * Whether standard error is an interactive terminal: the {@value #MODE_PROPERTY} property if set
     * ({@code bar} = yes, {@code lines} = no), otherwise on Linux whether file descriptor 2 is a tty
     * device, elsewhere whether the JVM has an interactive console. {@code TERM=dumb} means no.
     */
    public static boolean stderrIsTerminal() {
        String mode = System.getProperty(MODE_PROPERTY);
        if (mode != null) {
            if (mode.equals("bar")) return true;
            if (mode.equals("lines")) return false;
            throw new IllegalArgumentException("system property " + MODE_PROPERTY + " must be 'bar' or 'lines', got '" + mode + "'");
        }
        if ("dumb".equals(System.getenv("TERM"))) return false;
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd2)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** Whether this listener draws progress bars (true) or prints one line per epoch (false). */
    public boolean interactive() {
        return interactive;
    }

    @Override
    public void onEpochStart(TrainingRun run, int epoch) {
        closeBar();
        lossSum = 0;
        samples = 0;
        epochStartNanos = System.nanoTime();
        lastBatchNanos = epochStartNanos;
        if (interactive) {
            if (columns == 0) columns = terminalColumns();
            consumer = new LineConsumer(out, columns - 1);
            bar = ProgressBar.builder()
                    .setTaskName("epoch " + epoch + "/" + run.totalEpochs())
                    .setInitialMax(run.samplesPerEpoch())
                    .setStyle(ProgressBarStyle.UNICODE_BLOCK)
                    .setUnit(" samples", 1)
                    .showSpeed(new java.text.DecimalFormat("#"))
                    .setSpeedUnit(ChronoUnit.SECONDS)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(consumer)
                    .build();
        }
    }

    @Override
    public void onBatchEnd(TrainingRun run, BatchResult batch) {
        lossSum += (double) batch.loss() * batch.size();
        samples += batch.size();
        lastBatchNanos = System.nanoTime();
        if (bar != null) {
            bar.stepBy(batch.size());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", meanLoss()));
        }
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics m) {
        closeBar();
        out.println(summary(m, run.totalEpochs()));
        out.flush();
    }

    @Override
    public void onTrainingEnd(TrainingRun run, TrainingHistory history) {
        closeBar();
    }

    /** Ends a bar left open by an exception, so the next output starts on a fresh line. */
    @Override
    public void close() {
        closeBar();
    }

    /** Mean loss of the batches seen so far in this epoch. */
    float meanLoss() {
        return samples == 0 ? Float.NaN : (float) (lossSum / samples);
    }

    /**
     * "epoch 2/10: loss 0.3312, train acc 0.8790, test loss 0.3590, test acc 0.8702, 11.8 s, 5421 samples/s";
     * accuracies are left out for regression data and validation figures when there is none.
     */
    String summary(EpochMetrics m, int totalEpochs) {
        StringBuilder sb = new StringBuilder();
        sb.append("epoch ").append(m.epoch()).append('/').append(totalEpochs).append(": loss ").append(fmt(m.trainLoss()));
        if (!Float.isNaN(m.trainAccuracy())) sb.append(", train acc ").append(fmt(m.trainAccuracy()));
        if (m.hasValidation()) {
            sb.append(", ").append(validationLabel).append(" loss ").append(fmt(m.validationLoss()));
            if (!Float.isNaN(m.validationAccuracy())) {
                sb.append(", ").append(validationLabel).append(" acc ").append(fmt(m.validationAccuracy()));
            }
        }
        sb.append(String.format(Locale.ROOT, ", %.1f s", m.seconds()));
        double trainSeconds = (lastBatchNanos - epochStartNanos) / 1e9;
        if (samples > 0 && trainSeconds > 0) {
            sb.append(String.format(Locale.ROOT, ", %.0f samples/s", samples / trainSeconds));
        }
        return sb.toString();
    }

    private static String fmt(float v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            // The library skips its closing newline when a bar is closed before its first redraw.
            if (!consumer.closed) out.println();
            bar = null;
            consumer = null;
        }
    }

    /**
     * The terminal's width: the {@value #COLUMNS_PROPERTY} property, else {@code $COLUMNS}, else what
     * {@code stty size} reports for {@code /dev/tty}, else 80. (Passing a width keeps the progress-bar
     * library from opening a JLine terminal, which loads a native library and makes the JVM warn.)
     */
    static int terminalColumns() {
        Integer c = positive(System.getProperty(COLUMNS_PROPERTY));
        if (c == null) c = positive(System.getenv("COLUMNS"));
        if (c == null) c = sttyColumns();
        return c == null ? 80 : Math.max(20, c);
    }

    private static Integer sttyColumns() {
        if (!Files.isReadable(Path.of("/dev/tty"))) return null;
        try {
            Process p = new ProcessBuilder("stty", "size")
                    .redirectInput(new java.io.File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            if (!p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            String[] rowsCols = text.split("\\s+");
            return rowsCols.length == 2 ? positive(rowsCols[1]) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Integer positive(String s) {
        if (s == null) return null;
        try {
            int v = Integer.parseInt(s.trim());
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Redraws the bar with a carriage return; remembers whether the library ended the line. */
    private static final class LineConsumer extends ConsoleProgressBarConsumer {
        private volatile boolean closed;

        LineConsumer(PrintStream out, int width) {
            super(out, width);
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }
}
