package dev.propel.cli;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model trained and saved through the Java API records how it was trained, with no extra code. */
class ApiTrainingRecordTest {
    @TempDir
    Path dir;

    private static Dataset data(String name, int n) {
        float[] x = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 4; j++) x[i * 4 + j] = (y[i] == 1 ? 0.5f : -0.5f) + 0.1f * ((i * 7 + j * 3) % 5 - 2);
        }
        return Dataset.classification(name, Tensor.of(x, n, 4), y, 2);
    }

    private static ModelSpec spec() {
        return ModelSpec.builder().input(4).layer("dense", Map.of("units", 2)).loss("cross_entropy").build();
    }

    @Test
    void trainedThroughTheApiTheSavedFileSaysHowAndInspectShowsIt() throws Exception {
        Path file = dir.resolve("api.pb");
        Dataset train = data("api-train", 64);
        try (Propel propel = Propel.create()) {
            Model model = propel.build(spec(), 7);
            assertNull(model.trainingRecord(), "a new model has no training record");
            Optimizer adam = propel.optimizer("adam", Map.of("learning_rate", 0.01));
            new Trainer(TrainingConfig.builder().epochs(2).batchSize(16).seed(3).build()).fit(model, adam, train, data("api-test", 16));
            ModelFiles.save(SavedModel.builder(propel, model).optimizer(adam, true).build(), file);

            LoadedModel loaded = ModelFiles.load(propel, file);
            Provenance p = loaded.saved().provenance();
            assertNotNull(p, "the file records the run");
            assertEquals(Provenance.BACKPROP, p.algorithm());
            assertEquals(2, p.epochs());
            assertEquals(2, p.metrics().size());
            assertEquals(16, p.batchSize());
            assertEquals(3, p.seed());
            assertEquals("api-train", p.dataset().name());
            assertEquals(64, p.dataset().examples());
            assertEquals(p, loaded.model().trainingRecord(), "a loaded model starts with the file's record");

            // Resumed through the API: the record continues, its epochs counted in total.
            Model m = loaded.model();
            new Trainer(p.resumeConfig(3).build()).fit(m, loaded.optimizer(propel), train, data("api-test", 16));
            assertEquals(3, m.trainingRecord().epochs());
            assertEquals(3, m.trainingRecord().metrics().size());
            // Trained again from epoch 0 (no resume config): the total still counts every epoch.
            new Trainer(TrainingConfig.builder().epochs(2).batchSize(16).seed(3).build()).fit(m, loaded.optimizer(propel), train, null);
            assertEquals(5, m.trainingRecord().epochs());
            assertEquals(5, m.trainingRecord().metrics().size());
            // Saving without a record is still possible.
            assertNull(SavedModel.builder(propel, m).provenance(null).build().provenance());
        }
        Cli inspect = Cli.run("inspect", file.toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertFalse(inspect.out().contains("not trained"), inspect.out());
        assertTrue(inspect.out().contains("trained: backprop, 2 epochs, mini-batch, batch size 16, seed 3"), inspect.out());
        assertTrue(inspect.out().contains("data: api-train, 64 examples"), inspect.out());
        assertTrue(inspect.out().contains("epoch 2: train loss"), inspect.out());
    }
}
