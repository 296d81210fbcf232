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
import dev.propel.testkit.RandomTensors;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

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

    /** The inputs the graph fixture's recorded outputs belong to. */
    static Tensor residualProbe() {
        return RandomTensors.normal(new SplittableRandom(11), 3, 6);
    }

    @Test
    void theVersion11GraphFixtureLoadsWithItsWiringAndPredictsAsWhenSaved() throws Exception {
        Path file = Path.of(StandardFixturesTest.class.getClassLoader().getResource("fixtures/v1.1/standard-residual.pb").toURI());
        List<String> recorded = Files.readAllLines(file.resolveSibling("standard-residual.expected.txt"));
        try (Propel propel = Propel.builder().threads(1).build()) {
            LoadedModel loaded = ModelFiles.load(propel, file);
            assertEquals(List.of("dense_2", "input"), loaded.model().graph().inputNames(3), "add_1 reads the block and its input");
            float[] out = loaded.model().predict(residualProbe()).toArray();
            assertEquals(recorded.size(), out.length);
            for (int i = 0; i < out.length; i++) {
                assertEquals(recorded.get(i), Integer.toHexString(Float.floatToRawIntBits(out[i])), "output " + i + " bit for bit");
            }
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
        writeGraphFixture(dir);
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

    /** Since format 1.1: a residual graph model, with its outputs for {@link #residualProbe()} as raw float bits in hex. */
    private static void writeGraphFixture(Path dir) throws Exception {
        Path file = dir.resolve("standard-residual.pb");
        if (Files.exists(file)) return;
        try (Propel standard = Propel.builder().threads(1).build()) {
            Model model = standard.build(dev.propel.standard.graph.GraphModelTest.residualMlp(), 21);
            ModelFiles.save(SavedModel.builder(standard, model).build(), file);
            List<String> lines = new java.util.ArrayList<>();
            for (float v : model.predict(residualProbe()).toArray()) lines.add(Integer.toHexString(Float.floatToRawIntBits(v)));
            Files.write(dir.resolve("standard-residual.expected.txt"), lines);
        }
    }
}
