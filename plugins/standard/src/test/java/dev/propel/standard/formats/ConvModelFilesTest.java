package dev.propel.standard.formats;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.PredictionRule;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Shape;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
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

/**
 * A small convolutional model (every conv2d attribute form, both poolings) trained a little, saved as .pb,
 * converted to .json and back: the attributes keep their forms (integer, pair, "same"), the parameters their
 * bits, and the loaded models predict the same bits.
 */
class ConvModelFilesTest {
    private static Propel propel;
    private static final Dataset DATA = StandardModelFilesTest.classification(48, 64, 3, 5).withFeatureShape(Shape.of(1, 8, 8));

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
        return ModelSpec.builder().input(1, 8, 8)
                .layer("conv2d", Map.of("out_channels", 4, "kernel_size", 3, "padding", "same"))
                .layer("relu")
                .layer("max_pool2d", Map.of("kernel_size", 2))
                .layer("conv2d", Map.of("out_channels", 4, "kernel_size", List.of(3, 2), "padding", List.of(1, 0),
                        "groups", 4, "bias", false, "init", "he_uniform"))
                .layer("avg_pool2d", Map.of("kernel_size", 2, "stride", 1, "padding", 1))
                .layer("conv2d", Map.of("out_channels", 2, "kernel_size", 1, "stride", List.of(2, 1), "dilation", 2))
                .layer("flatten")
                .layer("dense", Map.of("units", 3))
                .loss("cross_entropy", Map.of())
                .optimizer("adam", Map.of())
                .build();
    }

    @Test
    void aConvolutionalModelSavesConvertsAndLoadsBitwise() throws Exception {
        TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(16).seed(3).build();
        Model model = propel.build(spec(), 9);
        Optimizer opt = propel.optimizer("adam", Map.of());
        TrainingHistory h = new Trainer(config).fit(model, opt, DATA, null);
        SavedModel saved = SavedModel.builder(propel, model).optimizer(opt, true)
                .provenance(Provenance.backprop(config, h, DATA, 1)).prediction(PredictionRule.forDataset(DATA)).build();
        Path pb = dir.resolve("cnn.pb");
        ModelFiles.save(saved, pb);
        SavedModel fromPb = ModelFiles.read(pb);
        assertSameModel(saved, fromPb);
        Path json = dir.resolve("cnn.json");
        ModelFiles.save(fromPb, json); // what `propel convert cnn.pb cnn.json` does
        assertSameModel(saved, ModelFiles.read(json));
        Path back = dir.resolve("back.pb");
        ModelFiles.save(ModelFiles.read(json), back);
        assertSameModel(saved, ModelFiles.read(back));

        for (Path file : List.of(pb, json, back)) {
            LoadedModel loaded = ModelFiles.load(propel, file);
            assertSameTensors(model.parameters(), loaded.model().parameters(), file.getFileName() + ": parameters");
            assertArrayEquals(rawBits(model.predict(DATA.features())), rawBits(loaded.model().predict(DATA.features())),
                    file.getFileName() + ": predictions");
            var layers = loaded.saved().spec().layers();
            assertEquals("same", layers.get(0).attributes().get("padding"));
            assertEquals(List.of(3, 2), layers.get(3).attributes().get("kernel_size"));
            assertEquals(4, layers.get(3).attributes().get("groups"));
            assertEquals("kernel_size", layers.get(2).attributes().get("stride"));
            assertEquals(1, layers.get(4).attributes().get("stride"));
        }
    }
}
