package dev.propel.format.proto;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.model.ScheduleState;
import dev.propel.model.testplugin.TinyModels;
import dev.propel.spi.Optimizer;
import dev.propel.train.LearningRateSchedule;
import dev.propel.train.ScheduleUnit;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameTensors;
import static dev.propel.model.testplugin.SavedModelAssert.rawBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run with a per-batch warmup + cosine schedule, saved after 2 epochs, loaded and resumed through the
 * Java API ({@link Provenance#resumeConfig(Propel, int)}) for 1 more, equals 3 epochs straight, bit for bit.
 */
class ScheduleResumeTest {
    private static Propel propel;
    private static final ModelSpec SPEC = TinyModels.spec();
    /** 80 examples, 64 after the validation split: 6 batches of 12 (the last of 4) per epoch. */
    private static final Dataset DATA = TinyModels.data(80, 4, 2, 11);
    private static final List<ComponentSpec> WARMUP_COSINE = List.of(
            ComponentSpec.of("warmup", Map.of("warmup_steps", 4, "start_factor", 0.2)),
            ComponentSpec.of("cosine", Map.of("t_max", 18, "eta_min", 0.001)));

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        propel = TinyModels.propel();
    }

    @AfterAll
    static void tearDown() {
        propel.close();
    }

    private static TrainingConfig config(int epochs) {
        return TrainingConfig.builder().epochs(epochs).batchSize(12).seed(5).validationSplit(0.2)
                .schedule(LearningRateSchedule.of(propel.schedule(WARMUP_COSINE), ScheduleUnit.BATCH)).build();
    }

    private static Optimizer optimizer() {
        return propel.optimizer(SPEC.optimizer().type(), SPEC.optimizer().attributes());
    }

    /** Trains 2 epochs with {@link #config} and saves the model with its optimizer state and provenance. */
    private Path trainTwoEpochs(String name) throws Exception {
        Path file = dir.resolve(name);
        Model first = propel.build(SPEC, 7);
        Optimizer firstOpt = optimizer();
        TrainingHistory two = new Trainer(config(2)).fit(first, firstOpt, DATA, null);
        ModelFiles.save(SavedModel.builder(propel, first).optimizer(firstOpt, true)
                .provenance(Provenance.backprop(config(2), two, DATA, 1)).build(), file);
        return file;
    }

    @Test
    void aResumedRunContinuesTheScheduleBitwise() throws Exception {
        Model straight = propel.build(SPEC, 7);
        TrainingHistory all = new Trainer(config(3)).fit(straight, optimizer(), DATA, null);

        LoadedModel loaded = ModelFiles.load(propel, trainTwoEpochs("two.pb"));
        ScheduleState saved = loaded.saved().provenance().schedule();
        assertEquals("batch", saved.per());
        assertEquals(12, saved.step(), "2 epochs of 6 batches");
        assertEquals(List.of(ComponentSpec.of("warmup", Map.of("warmup_steps", 4, "start_factor", 0.2f)),
                ComponentSpec.of("cosine", Map.of("t_max", 18, "eta_min", 0.001f))), saved.chain());

        TrainingConfig resume = loaded.saved().provenance().resumeConfig(propel, 3).build();
        TrainingHistory third = new Trainer(resume).fit(loaded.model(), loaded.optimizer(propel), DATA, null);

        assertSameTensors(straight.parameters(), loaded.model().parameters(), "parameters after 3 epochs");
        assertEquals(all.last().learningRate(), third.last().learningRate(), "epoch 3 starts at step 12 of the schedule");
        // Step 12 is cosine step 8 of 18: 0.001 + (0.05 − 0.001)·(1 + cos(8π/18))/2
        assertEquals((float) (0.001 + (0.05f - 0.001f) * 0.5 * (1 + Math.cos(Math.PI * 8 / 18))), third.last().learningRate(), 1e-7f);
        Provenance merged = loaded.saved().provenance().followedBy(Provenance.backprop(resume, third, DATA, 1));
        assertEquals(18, merged.schedule().step());
    }

    @Test
    void withoutTheSavedScheduleTheResumedRunDiffers() throws Exception {
        // The control: a file without a schedule resumes at the constant base rate, as files always did.
        Model straight = propel.build(SPEC, 7);
        new Trainer(config(3)).fit(straight, optimizer(), DATA, null);
        LoadedModel loaded = ModelFiles.load(propel, trainTwoEpochs("two.pb"));
        Provenance withoutSchedule = loaded.saved().provenance().withSchedule(null);
        TrainingConfig resume = withoutSchedule.resumeConfig(propel, 3).build();
        assertEquals(0.05f, resume.schedule().rate(0.05f, 2, 3));
        new Trainer(resume).fit(loaded.model(), loaded.optimizer(propel), DATA, null);
        String w = "affine_0.weight";
        assertFalse(Arrays.equals(rawBits(straight.parameters().get(w)), rawBits(loaded.model().parameters().get(w))));
    }

    @Test
    void resumingWhereTheScheduleWasNotSavedIsRefused() throws Exception {
        LoadedModel loaded = ModelFiles.load(propel, trainTwoEpochs("two.pb"));
        // Another batch size gives another number of batches per epoch, so step 12 is not where epoch 3 starts.
        TrainingConfig other = loaded.saved().provenance().resumeConfig(propel, 3).batchSize(8).build();
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(other).fit(loaded.model(), loaded.optimizer(propel), DATA, null));
        assertTrue(e.getMessage().contains("was saved after 12 batch steps, but resuming after 2 epochs of 8 batches starts it at step 16"),
                e.getMessage());
    }

    @Test
    void aScheduleTypeNoPluginProvidesIsAClearErrorOnResumeButTheModelStillLoads() throws Exception {
        Path file = trainTwoEpochs("two.pb");
        LoadedModel loaded = ModelFiles.load(propel, file);
        Provenance p = loaded.saved().provenance().withSchedule(new ScheduleState(List.of(ComponentSpec.of("one_cycle")), "batch", 12));
        var e = assertThrows(dev.propel.model.ModelFormatException.class, () -> p.resumeConfig(propel, 3));
        assertTrue(e.getMessage().contains("the saved learning-rate schedule (one_cycle) cannot be restored: unknown learning-rate schedule"
                + " type 'one_cycle'"), e.getMessage());
        ModelFiles.save(loaded.saved().withProvenance(p), dir.resolve("other.pb"));
        assertEquals("one_cycle", ModelFiles.load(propel, dir.resolve("other.pb")).saved().provenance().schedule().describe());
    }

    @Test
    void aLambdaScheduleIsNotRecorded() {
        TrainingConfig c = TrainingConfig.builder().epochs(1).schedule((base, epoch, total) -> base / 2).build();
        Model m = propel.build(SPEC, 7);
        TrainingHistory h = new Trainer(c).fit(m, optimizer(), DATA, null);
        assertNull(Provenance.backprop(c, h, DATA, 1).schedule());
        assertEquals(0.025f, h.last().learningRate());
    }
}
