package dev.propel.train;

import dev.propel.model.Model;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarListenerTest {

    /** A run of 2 epochs of 40 samples in batches of 10 and 30; the listener only reads these figures. */
    private static final TrainingRun RUN = new TrainingRun() {
        @Override
        public Model model() {
            throw new UnsupportedOperationException("not needed by the listener");
        }

        @Override
        public TrainingConfig config() {
            return TrainingConfig.builder().epochs(2).build();
        }

        @Override
        public int totalEpochs() {
            return 2;
        }

        @Override
        public int batchesPerEpoch() {
            return 2;
        }

        @Override
        public int samplesPerEpoch() {
            return 40;
        }

        @Override
        public long activationBytes() {
            return 0;
        }

        @Override
        public void requestStop(String reason) {
        }
    };

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void epoch(ProgressBarListener l, int epoch, EpochMetrics m) {
        l.onEpochStart(RUN, epoch);
        l.onBatchEnd(RUN, new BatchResult(epoch, 0, 10, 0.5f, 0.01f));
        l.onBatchEnd(RUN, new BatchResult(epoch, 1, 30, 0.3f, 0.01f));
        l.onEpochEnd(RUN, m);
    }

    @Test
    void withoutTerminalPrintsOneLinePerEpochAndNoBar() {
        ProgressBarListener l = new ProgressBarListener(out, false, "test");
        l.onTrainingStart(RUN);
        epoch(l, 1, new EpochMetrics(1, 0.35f, 0.8f, 0.6f, 0.75f, 0.01f, 1.5, 40));
        epoch(l, 2, new EpochMetrics(2, 0.25f, 0.9f, 0.5f, 0.8125f, 0.01f, 1.25, 40));
        l.onTrainingEnd(RUN, null);

        String[] lines = output().split("\n");
        assertEquals(2, lines.length, output());
        assertTrue(lines[0].matches("epoch 1/2: loss 0\\.3500, train acc 0\\.8000, test loss 0\\.6000, test acc 0\\.7500, 1\\.5 s(, \\d+ samples/s)?"),
                lines[0]);
        assertTrue(lines[1].startsWith("epoch 2/2: loss 0.2500, train acc 0.9000, test loss 0.5000, test acc 0.8125, 1.3 s"), lines[1]);
        assertFalse(output().contains("\r"), "no carriage-return redraws off a terminal");
    }

    @Test
    void regressionWithoutValidationLeavesOutMissingFigures() {
        ProgressBarListener l = new ProgressBarListener(out, false, "val");
        epoch(l, 1, new EpochMetrics(1, 0.125f, Float.NaN, Float.NaN, Float.NaN, 0.01f, 2.0, 40));
        String line = output().strip();
        assertTrue(line.matches("epoch 1/2: loss 0\\.1250, 2\\.0 s(, \\d+ samples/s)?"), line);
    }

    @Test
    void validationFiguresUseTheGivenLabel() {
        ProgressBarListener l = new ProgressBarListener(out, false, "val");
        epoch(l, 1, new EpochMetrics(1, 0.35f, 0.8f, 0.6f, 0.75f, 0.01f, 1.0, 40));
        assertTrue(output().contains("val loss 0.6000, val acc 0.7500"), output());
    }

    @Test
    void onTerminalDrawsABarWithEpochSamplesAndRunningMeanLoss() {
        ProgressBarListener l = new ProgressBarListener(out, true, "test");
        l.onEpochStart(RUN, 1);
        l.onBatchEnd(RUN, new BatchResult(1, 0, 10, 0.5f, 0.01f));
        l.onBatchEnd(RUN, new BatchResult(1, 1, 30, 0.3f, 0.01f));
        assertEquals(0.35f, l.meanLoss(), 1e-6f);
        l.onEpochEnd(RUN, new EpochMetrics(1, 0.35f, 0.8f, 0.6f, 0.75f, 0.01f, 1.0, 40));

        String text = output();
        assertTrue(text.contains("\r"), "the bar is redrawn in place");
        assertTrue(text.contains("epoch 1/2"), text);
        assertTrue(text.contains("40/40"), text);
        assertTrue(text.contains("samples/s"), text);
        assertTrue(text.contains("loss 0.3500"), text);
        assertTrue(text.contains("\nepoch 1/2: loss 0.3500, train acc 0.8000"), "summary on its own line after the bar: " + text);
    }

    @Test
    void barsFitTheTerminalWidth() {
        String old = System.getProperty(ProgressBarListener.COLUMNS_PROPERTY);
        try {
            System.setProperty(ProgressBarListener.COLUMNS_PROPERTY, "60");
            ProgressBarListener l = new ProgressBarListener(out, true, "test");
            epoch(l, 1, new EpochMetrics(1, 0.35f, 0.8f, 0.6f, 0.75f, 0.01f, 1.0, 40));
        } finally {
            if (old == null) System.clearProperty(ProgressBarListener.COLUMNS_PROPERTY);
            else System.setProperty(ProgressBarListener.COLUMNS_PROPERTY, old);
        }
        for (String redraw : output().split("\r")) {
            String bar = redraw.split("\n")[0];
            assertTrue(bar.length() <= 59, "bar of " + bar.length() + " chars: '" + bar + "'");
        }
    }

    @Test
    void closeEndsABarLeftOpenByAnException() {
        ProgressBarListener l = new ProgressBarListener(out, true, "test");
        l.onEpochStart(RUN, 1);
        l.onBatchEnd(RUN, new BatchResult(1, 0, 10, 0.5f, 0.01f));
        l.close();
        assertTrue(output().endsWith("\n"), "the next message starts on a fresh line: " + output());
    }

    @Test
    void modePropertyOverridesTerminalDetection() {
        String old = System.getProperty(ProgressBarListener.MODE_PROPERTY);
        try {
            System.setProperty(ProgressBarListener.MODE_PROPERTY, "bar");
            assertTrue(ProgressBarListener.stderrIsTerminal());
            System.setProperty(ProgressBarListener.MODE_PROPERTY, "lines");
            assertFalse(ProgressBarListener.stderrIsTerminal());
        } finally {
            if (old == null) System.clearProperty(ProgressBarListener.MODE_PROPERTY);
            else System.setProperty(ProgressBarListener.MODE_PROPERTY, old);
        }
    }
}
