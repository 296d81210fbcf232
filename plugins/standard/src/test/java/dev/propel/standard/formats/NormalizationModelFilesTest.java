package dev.propel.standard.formats;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.LayerSpec;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.PredictionRule;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import dev.propel.train.ff.FfStack;
import dev.propel.train.ff.UnsupportedLayerException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameModel;
import static dev.propel.model.testplugin.SavedModelAssert.assertSameTensors;
import static dev.propel.model.testplugin.SavedModelAssert.rawBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small NCHW graph model with every normalization layer (a residual block of batch_norm → layer_norm
 * over channels → layer_scale, then global_avg_pool and dense), trained, saved as .pb, converted to JSON
 * and back: parameters, running statistics and predictions survive bitwise. Forward-Forward refuses it.
 */
class NormalizationModelFilesTest {
    private static Propel propel;
    /** 18 features per example seen as [2, 3, 3] images. */
    private static final Dataset DATA = StandardModelFilesTest.classification(64, 18, 3, 6).withFeatureShape(Shape.of(2, 3, 3));

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        propel = Propel.builder().threads(1).build();
    }

    @AfterAll
    static void tearDown() {
        propel.close();
    }

    static ModelSpec spec() {
        return ModelSpec.builder().input(2, 3, 3)
                .layer(LayerSpec.of("batch_norm", Map.of("momentum", 0.2)).named("bn"))
                .layer(LayerSpec.of("layer_norm", Map.of("axes", List.of(0), "eps", 1e-6)).named("ln"))
                .layer(LayerSpec.of("layer_scale", Map.of("init", 0.5)).named("scale"))
                .layer(LayerSpec.of("add").named("residual").reading("scale", "bn"))
                .layer(LayerSpec.of("global_avg_pool").named("pool"))
                .layer(LayerSpec.of("dense", Map.of("units", 3)).named("classifier"))
                .loss("cross_entropy")
                .build();
    }

    @Test
    void runningStatisticsAndWeightsSurviveSaveLoadAndConvert() throws Exception {
        Model model = propel.build(spec(), 5);
        Map<String, Tensor> initialState = Map.of("bn.running_var", model.state().get("bn.running_var").copy());
        Optimizer opt = propel.optimizer("adam", Map.of("learning_rate", 0.01));
        TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(16).seed(3).build();
        TrainingHistory h = new Trainer(config).fit(model, opt, DATA, null);
        assertEquals(List.of("bn.running_mean", "bn.running_var", "bn.num_batches_tracked"), List.copyOf(model.state().keySet()));
        assertFalse(java.util.Arrays.equals(initialState.get("bn.running_var").toArray(), model.state().get("bn.running_var").toArray()),
                "training should have moved the running variance");
        assertEquals(8f, model.state().get("bn.num_batches_tracked").get(0), "64 examples / 16 per batch × 2 epochs");

        SavedModel saved = SavedModel.builder(propel, model).optimizer(opt, true)
                .provenance(Provenance.backprop(config, h, DATA, 1)).prediction(PredictionRule.forDataset(DATA)).build();
        Path pb = dir.resolve("norm.pb");
        ModelFiles.save(saved, pb);
        LoadedModel fromPb = ModelFiles.load(propel, pb);
        assertSameModel(saved, fromPb.saved());
        Path json = dir.resolve("norm.json");
        ModelFiles.save(fromPb.saved(), json);
        LoadedModel fromJson = ModelFiles.load(propel, json);
        assertSameModel(saved, fromJson.saved());
        for (LoadedModel loaded : List.of(fromPb, fromJson)) {
            assertSameTensors(model.state(), loaded.model().state(), "running statistics");
            assertSameTensors(model.parameters(), loaded.model().parameters(), "parameters");
            assertArrayEquals(rawBits(model.predict(DATA.features())), rawBits(loaded.model().predict(DATA.features())));
        }
        assertEquals(List.of(0), fromJson.saved().spec().layers().get(1).attributes().get("axes"));
    }

    @Test
    void forwardForwardRefusesAModelOnImages() {
        Model model = propel.build(spec(), 1);
        UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class, () -> FfStack.of(model));
        assertEquals("batch_norm", e.layerType());
        for (String part : List.of("'bn' (batch_norm)", "[2, 3, 3]", "convolutional", "not supported", "backprop")) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }
}
