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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "Embedding Propel" snippet of README.md, kept here so that it keeps compiling and working, and compared
 * line by line with the README so that the two cannot drift apart.
 */
class EmbeddingExampleTest {
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final String BEGINS = "// --- README.md \"Embedding Propel\" begins";
    private static final String ENDS = "// --- README.md \"Embedding Propel\" ends";

    @Test
    void readmeShowsExactlyTheCodeThisTestRuns() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        int section = readme.indexOf("## Embedding Propel");
        int open = readme.subList(section, readme.size()).indexOf("```java") + section;
        int close = readme.subList(open + 1, readme.size()).indexOf("```") + open + 1;
        // The README block is the try statement; the test marks it without its closing brace (its assertions follow).
        List<String> shown = readme.subList(open + 1, close - 1).stream().map(String::strip).toList();
        List<String> source = Files.readAllLines(ROOT.resolve("tools/cli/src/test/java/dev/propel/cli/EmbeddingExampleTest.java"));
        int from = source.indexOf(source.stream().filter(l -> l.strip().equals(BEGINS)).findFirst().orElseThrow());
        int to = source.indexOf(source.stream().filter(l -> l.strip().equals(ENDS)).findFirst().orElseThrow());
        assertEquals("}", readme.get(close - 1));
        assertEquals(source.subList(from + 1, to).stream().map(String::strip).toList(), shown);
    }

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
