package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.data.TrainTest;
import dev.propel.data.DataSources;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "Embedding Propel" snippet of README.md, kept here so that it keeps compiling and working. */
class EmbeddingExampleTest {

    @Test
    void readmeSnippetTrainsAndPredicts() {
        // --- README.md "Embedding Propel" begins
        try (Propel propel = Propel.create()) {
            ModelSpec spec = ModelSpec.builder()
                    .input(784)
                    .layer("dense", Map.of("units", 128))
                    .layer("relu")
                    .layer("dense", Map.of("units", 10))
                    .loss("cross_entropy")
                    .build();
            Model model = propel.build(spec, 42);
            TrainTest data = DataSources.resolve("sample");
            TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(64).seed(42).build();
            TrainingHistory history = new Trainer(config)
                    .fit(model, propel.optimizer("adam", Map.of("learning_rate", 0.001)), data.train(), data.test());
            int[] predicted = model.predictClasses(data.test().features());
            System.out.printf("test accuracy %.4f, first prediction: class %d%n",
                    history.last().validationAccuracy(), predicted[0]);
            // --- README.md "Embedding Propel" ends

            assertEquals(data.test().size(), predicted.length);
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) if (predicted[i] == data.test().labels()[i]) correct++;
            assertEquals(history.last().validationAccuracy(), (float) correct / predicted.length, 1e-6f,
                    "predictClasses agrees with the accuracy the trainer measured");
            assertTrue(history.last().validationAccuracy() > 0.7, "well above chance: " + history.last());
        }
    }
}
