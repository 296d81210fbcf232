package dev.propel.standard.formats;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.LoadedModel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files of the standard plugin's types written by earlier format versions still load with this
 * plugin, resume and predict. {@code v1.0/standard-mlp.pb} is a copy of formats/proto's fixture, whose
 * contents formats/proto checks against its {@code .expected.txt} without any plugin; {@link #main}
 * writes the fixture of a new format version here.
 */
class StandardFixturesTest {

    @Test
    void theVersion10FixtureLoadsResumesAndPredicts() throws Exception {
        Path file = Path.of(StandardFixturesTest.class.getClassLoader().getResource("fixtures/v1.0/standard-mlp.pb").toURI());
        try (Propel propel = Propel.builder().threads(1).build()) {
            LoadedModel loaded = ModelFiles.load(propel, file);
            Tensor out = loaded.model().predict(StandardModelFilesTest.classification(3, 12, 3, 1).features());
            assertEquals(3, out.rows());
            for (float v : out.toArray()) assertTrue(Float.isFinite(v));
            assertTrue(loaded.hasOptimizerState());
            Optimizer adam = loaded.optimizer(propel);
            assertEquals("adam", adam.typeId());
            assertEquals(12, adam.stepCount(), "96 examples / 16 per batch × 2 epochs");
        }
    }

    /**
     * Writes {@code standard-mlp.pb} of the current format version into
     * {@code <module dir>/src/test/resources/fixtures/<version>/} unless it exists (fixtures of a
     * version are never regenerated). Arguments: the version folder (e.g. {@code v1.1}) and the
     * module directory (default: the working directory); run with this module's test class path.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 1 ? args[1] : ".").resolve("src/test/resources/fixtures/" + args[0]);
        Files.createDirectories(dir);
        Path file = dir.resolve("standard-mlp.pb");
        if (Files.exists(file)) return;
        try (Propel standard = Propel.builder().threads(1).build()) {
            ModelSpec spec = StandardModelFilesTest.spec("adam");
            Model model = standard.build(spec, 5);
            Optimizer adam = standard.optimizer("adam", spec.optimizer().attributes());
            Dataset data = StandardModelFilesTest.classification(96, 12, 3, 4);
            TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(16).seed(3).build();
            TrainingHistory h = new Trainer(config).fit(model, adam, data, null);
            ModelFiles.save(SavedModel.builder(standard, model).optimizer(adam, true)
                    .provenance(Provenance.backprop(config, h, data, 1)).build(), file);
        }
    }
}
