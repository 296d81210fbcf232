package dev.propel.model;

import dev.propel.data.Dataset;
import dev.propel.model.testplugin.TinyModels;
import dev.propel.tensor.Tensor;
import dev.propel.train.EpochMetrics;
import dev.propel.train.GradientDescent;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvenanceTest {
    private static final Dataset DATA = TinyModels.data(40, 4, 2, 3);

    private static EpochMetrics epoch(int e) {
        return new EpochMetrics(e, 1f / e, Float.NaN, Float.NaN, Float.NaN, 0.1f, 0.5, 40);
    }

    @Test
    void aBackpropRunRecordsItsSettingsDataAndMetrics() {
        TrainingConfig c = TrainingConfig.builder().epochs(2).batchSize(16).seed(9).clipNorm(1f).validationSplit(0.1).build();
        TrainingHistory h = new TrainingHistory(List.of(epoch(1), epoch(2)), "completed 2 epochs", 1.5);
        Provenance p = Provenance.backprop(c, h, DATA, 2);
        assertEquals(new Provenance("backprop", 2, "mini_batch", 16, 9, true, 0.1, 1f, DatasetInfo.of(DATA),
                h.epochs(), 1.5, 2, "completed 2 epochs", Map.of(),
                new ScheduleState(List.of(ComponentSpec.of("constant")), "epoch", 2)), p);
        assertEquals("tiny-3", p.dataset().name());
        assertEquals(40, p.dataset().examples());
    }

    @Test
    void resumeConfigContinuesTheRun() {
        TrainingConfig c = TrainingConfig.builder().epochs(2).batchSize(16).seed(9).shuffle(false).build();
        Provenance p = Provenance.backprop(c, new TrainingHistory(List.of(epoch(1), epoch(2)), "", 1), DATA, 1);
        TrainingConfig r = p.resumeConfig(5).build();
        assertEquals(5, r.epochs());
        assertEquals(2, r.initialEpoch());
        assertEquals(9, r.seed());
        assertEquals(16, r.batchSize());
        assertEquals(false, r.shuffle());
        var e = assertThrows(IllegalArgumentException.class, () -> p.resumeConfig(2));
        assertTrue(e.getMessage().contains("already trained for 2 epochs"), e.getMessage());
        TrainingConfig batch = TrainingConfig.builder().epochs(1).mode(GradientDescent.BATCH).build();
        Provenance pb = Provenance.backprop(batch, new TrainingHistory(List.of(epoch(1)), "", 1), DATA, 1);
        assertEquals(GradientDescent.BATCH, pb.resumeConfig(2).build().mode());
    }

    @Test
    void followedByConcatenatesMetricsAndAddsTime() {
        TrainingConfig c = TrainingConfig.builder().epochs(1).build();
        Provenance a = Provenance.backprop(c, new TrainingHistory(List.of(epoch(1)), "", 1.0), DATA, 1);
        TrainingConfig c2 = TrainingConfig.builder().epochs(2).initialEpoch(1).build();
        Provenance b = Provenance.backprop(c2, new TrainingHistory(List.of(epoch(2)), "done", 2.0), DATA, 1);
        Provenance ab = a.followedBy(b);
        assertEquals(2, ab.epochs());
        assertEquals(List.of(epoch(1), epoch(2)), ab.metrics());
        assertEquals(3.0, ab.wallSeconds());
        assertEquals("done", ab.stopReason());
    }

    @Test
    void theDatasetHashDependsOnContentNotName() {
        String h = DatasetInfo.contentHash(DATA);
        assertTrue(h.matches("sha256:[0-9a-f]{64}"), h);
        Dataset renamed = Dataset.regression("other", DATA.features(), DATA.targets());
        assertEquals(h, DatasetInfo.contentHash(renamed));
        Tensor f = DATA.features().copy();
        f.data()[17] = Math.nextUp(f.data()[17]);
        assertNotEquals(h, DatasetInfo.contentHash(Dataset.regression("x", f, DATA.targets())));
        Dataset reshaped = Dataset.regression("x", DATA.features().reshape(40, 2, 2), DATA.targets());
        assertNotEquals(h, DatasetInfo.contentHash(reshaped));
    }
}
