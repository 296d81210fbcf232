package dev.propel.standard.formats;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.PluginRef;
import dev.propel.model.PredictionRule;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameModel;
import static dev.propel.model.testplugin.SavedModelAssert.assertSameTensors;
import static dev.propel.model.testplugin.SavedModelAssert.rawBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models of the standard plugin's types (every layer, loss and optimizer) through .pb files. (Here
 * rather than in formats/proto, whose tests use only core's test plugin: the testkit, which this
 * plugin's tests use, depends on the formats.)
 */
class StandardModelFilesTest {
    private static Propel propel;
    private static final Dataset DATA = classification(96, 12, 3, 4);

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        // The standard plugin is found on the (test) class path like any plugin; Vector API kernels, 1 thread.
        propel = Propel.builder().threads(1).build();
    }

    @AfterAll
    static void tearDown() {
        propel.close();
    }

    public static Dataset classification(int n, int features, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
            for (int j = 0; j < features; j++) x[i * features + j] = (float) (r.nextGaussian() + (j % classes == y[i] ? 1.5 : 0));
        }
        return Dataset.classification("blobs", Tensor.of(x, n, features), y, classes);
    }

    /** Every standard layer type in one model. */
    public static ModelSpec spec(String optimizer) {
        return ModelSpec.builder().input(12)
                .layer("dense", Map.of("units", 16, "init", "he_normal"))
                .layer("relu")
                .layer("dropout", Map.of("rate", 0.2f))
                .layer("dense", Map.of("units", 16, "use_bias", false))
                .layer("leaky_relu", Map.of("negative_slope", 0.05f))
                .layer("dense", Map.of("units", 12))
                .layer("gelu", Map.of("approximate", "tanh"))
                .layer("dense", Map.of("units", 8))
                .layer("sigmoid")
                .layer("dense", Map.of("units", 8))
                .layer("tanh")
                .layer("dense", Map.of("units", 3))
                .loss("cross_entropy", Map.of("label_smoothing", 0.05f))
                .optimizer(optimizer, Map.of())
                .build();
    }

    private static TrainingConfig config(int epochs) {
        return TrainingConfig.builder().epochs(epochs).batchSize(16).seed(3).build();
    }

    @Test
    void everyLayerTypeSavesLoadsAndPredictsBitwise() throws Exception {
        Model model = propel.build(spec("adam"), 9);
        Optimizer opt = propel.optimizer("adam", Map.of());
        TrainingHistory h = new Trainer(config(1)).fit(model, opt, DATA, null);
        SavedModel saved = SavedModel.builder(propel, model).optimizer(opt, true)
                .provenance(Provenance.backprop(config(1), h, DATA, 1)).prediction(PredictionRule.forDataset(DATA)).build();
        Path file = dir.resolve("mlp.pb");
        ModelFiles.save(saved, file);
        assertSameModel(saved, ModelFiles.read(file));
        LoadedModel loaded = ModelFiles.load(propel, file);
        assertArrayEquals(rawBits(model.predict(DATA.features())), rawBits(loaded.model().predict(DATA.features())));
        assertArrayEquals(model.predictClasses(DATA.features()), loaded.model().predictClasses(DATA.features()));
        PluginRef standard = loaded.saved().producer().plugins().getFirst();
        assertEquals("standard", standard.name());
        assertEquals(List.of("adam", "cross_entropy", "dense", "dropout", "gelu", "leaky_relu", "relu", "sigmoid", "tanh"),
                standard.types());
        assertEquals("he_normal", loaded.saved().spec().layers().get(0).attributes().get("init"));
        assertEquals(false, loaded.saved().spec().layers().get(3).attributes().get("use_bias"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "rmsprop", "adagrad", "adam", "adamw"})
    void everyOptimizerResumesBitwiseFromAFile(String optimizer) throws Exception {
        ModelSpec spec = spec(optimizer);
        Model straight = propel.build(spec, 9);
        Optimizer straightOpt = propel.optimizer(optimizer, Map.of());
        new Trainer(config(3)).fit(straight, straightOpt, DATA, null);

        Model first = propel.build(spec, 9);
        Optimizer firstOpt = propel.optimizer(optimizer, Map.of());
        TrainingHistory two = new Trainer(config(2)).fit(first, firstOpt, DATA, null);
        Path file = dir.resolve(optimizer + ".pb");
        ModelFiles.save(SavedModel.builder(propel, first).optimizer(firstOpt, true)
                .provenance(Provenance.backprop(config(2), two, DATA, 1)).build(), file);

        LoadedModel loaded = ModelFiles.load(propel, file);
        Optimizer resumed = loaded.optimizer(propel);
        new Trainer(loaded.saved().provenance().resumeConfig(3).build()).fit(loaded.model(), resumed, DATA, null);
        assertSameTensors(straight.parameters(), loaded.model().parameters(), optimizer + ": parameters after 3 epochs");
        assertSameTensors(straightOpt.state(), resumed.state(), optimizer + ": optimizer state after 3 epochs");
        assertEquals(straightOpt.stepCount(), resumed.stepCount());
        assertTrue(straightOpt.stepCount() == 18, "96 examples / 16 per batch × 3 epochs");
    }

    @Test
    void lossAttributesSurvive() throws Exception {
        ModelSpec bce = ModelSpec.builder().input(12).layer("dense", Map.of("units", 3))
                .loss("binary_cross_entropy", Map.of("from_logits", true)).build();
        Path file = dir.resolve("bce.pb");
        ModelFiles.save(SavedModel.builder(propel, propel.build(bce, 1)).build(), file);
        assertEquals(Map.of("from_logits", true), ModelFiles.load(propel, file).saved().spec().loss().attributes());
    }
}
