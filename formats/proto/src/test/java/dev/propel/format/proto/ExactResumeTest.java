package dev.propel.format.proto;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.model.testplugin.TinyModels;
import dev.propel.spi.Optimizer;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameTensors;
import static dev.propel.model.testplugin.SavedModelAssert.rawBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Train 2 epochs, save with optimizer state, load, train 1 more == train 3 epochs straight, bit for bit. */
class ExactResumeTest {
    private static Propel propel;
    private static final ModelSpec SPEC = TinyModels.spec();
    private static final Dataset DATA = TinyModels.data(80, 4, 2, 11);

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
        // Shuffling and a validation split, so the resumed run must replay both.
        return TrainingConfig.builder().epochs(epochs).batchSize(12).seed(5).validationSplit(0.2).build();
    }

    private static Optimizer optimizer() {
        return propel.optimizer(SPEC.optimizer().type(), SPEC.optimizer().attributes());
    }

    @Test
    void resumingFromAFileContinuesBitwiseAsIfNeverInterrupted() throws Exception {
        Model straight = propel.build(SPEC, 7);
        Optimizer straightOpt = optimizer();
        TrainingHistory all = new Trainer(config(3)).fit(straight, straightOpt, DATA, null);

        Path file = dir.resolve("epoch2.pb");
        Model first = propel.build(SPEC, 7);
        Optimizer firstOpt = optimizer();
        TrainingHistory two = new Trainer(config(2)).fit(first, firstOpt, DATA, null);
        ModelFiles.save(SavedModel.builder(propel, first).optimizer(firstOpt, true)
                .provenance(Provenance.backprop(config(2), two, DATA, 1)).build(), file);

        LoadedModel loaded = ModelFiles.load(propel, file);
        Optimizer resumedOpt = loaded.optimizer(propel);
        TrainingConfig resume = loaded.saved().provenance().resumeConfig(3).build();
        assertEquals(2, resume.initialEpoch());
        TrainingHistory third = new Trainer(resume).fit(loaded.model(), resumedOpt, DATA, null);

        assertSameTensors(straight.parameters(), loaded.model().parameters(), "parameters after 3 epochs");
        assertSameTensors(straightOpt.state(), resumedOpt.state(), "optimizer state after 3 epochs");
        assertEquals(straightOpt.stepCount(), resumedOpt.stepCount());
        assertEquals(withSeconds(all, third), third.last(), "epoch 3 metrics, all but the wall time");
        Provenance merged = loaded.saved().provenance().followedBy(Provenance.backprop(resume, third, DATA, 1));
        assertEquals(3, merged.epochs());
        assertEquals(3, merged.metrics().size());
    }

    /** Epoch metrics equal but for their wall time. */
    private static dev.propel.train.EpochMetrics withSeconds(TrainingHistory expected, TrainingHistory actual) {
        var e = expected.last();
        var a = actual.last();
        assertEquals(Float.floatToRawIntBits(e.trainLoss()), Float.floatToRawIntBits(a.trainLoss()), "train loss");
        assertEquals(Float.floatToRawIntBits(e.validationLoss()), Float.floatToRawIntBits(a.validationLoss()), "validation loss");
        return new dev.propel.train.EpochMetrics(e.epoch(), e.trainLoss(), e.trainAccuracy(), e.validationLoss(),
                e.validationAccuracy(), e.learningRate(), a.seconds(), e.samples());
    }

    @Test
    void withoutTheOptimizerStateTheResumedRunDiffers() throws Exception {
        // The control: if the state did not matter, the test above would prove nothing.
        Model straight = propel.build(SPEC, 7);
        new Trainer(config(3)).fit(straight, optimizer(), DATA, null);

        Path file = dir.resolve("no-state.pb");
        Model first = propel.build(SPEC, 7);
        Optimizer firstOpt = optimizer();
        TrainingHistory two = new Trainer(config(2)).fit(first, firstOpt, DATA, null);
        ModelFiles.save(SavedModel.builder(propel, first).optimizer(firstOpt, false)
                .provenance(Provenance.backprop(config(2), two, DATA, 1)).build(), file);
        LoadedModel loaded = ModelFiles.load(propel, file);
        assertFalse(loaded.hasOptimizerState());
        new Trainer(loaded.saved().provenance().resumeConfig(3).build()).fit(loaded.model(), loaded.optimizer(propel), DATA, null);
        String w = "affine_0.weight";
        assertFalse(Arrays.equals(rawBits(straight.parameters().get(w)), rawBits(loaded.model().parameters().get(w))));
    }
}
