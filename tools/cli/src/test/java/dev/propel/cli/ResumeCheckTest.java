package dev.propel.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A resume is exact or refused: optimizer state under foreign names, and NaN in a saved model, are named as such. */
class ResumeCheckTest {
    @TempDir
    static Path dir;
    static String saved;

    @BeforeAll
    static void train() throws IOException {
        saved = Files.readString(TinyRun.in(dir, "m.json").model());
    }

    private static String resume(String name, String json) throws IOException {
        Path file = Files.writeString(dir.resolve(name), json);
        return ErrorsTest.oneLineError(Cli.run("--threads", "1", "train", "--resume", file.toString(), "--data", "sample", "--epochs", "2"), 1);
    }

    @Test
    void optimizerStateForParametersTheModelLacksIsRefused() throws IOException {
        String line = resume("renamed.json", saved.replace("\"name\": \"dense_0.weight/m\"", "\"name\": \"dense_9.weight/m\"")
                .replace("\"name\": \"dense_0.weight/v\"", "\"name\": \"dense_9.weight/v\""));
        assertTrue(line.contains("the optimizer state has entries [dense_9.weight/m, dense_9.weight/v] for parameters the model does "
                + "not have"), line);
    }

    @Test
    void nanInTheWeightsIsNamedAsSuchNotAsALearningRateProblem() throws IOException {
        int at = saved.indexOf("\"name\": \"dense_0.bias\"");
        String bias = saved.substring(at).replaceFirst("\"crc32c\": \"0x[0-9a-f]{8}\",\\s*", "")
                .replaceFirst("\"data\": \\[ [^,\\]]+", "\"data\": [ NaN");
        String line = resume("nan.json", saved.substring(0, at) + bias);
        assertTrue(line.contains("parameter 'dense_0.bias' holds NaN (element 0), so training cannot continue from it"), line);
        assertFalse(line.contains("Lower the learning rate"), line);
    }
}
