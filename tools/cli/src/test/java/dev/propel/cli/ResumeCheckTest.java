package dev.propel.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A resume is exact or refused, and predictions are numbers: optimizer state under foreign names, and NaN in a saved model, are named as such. */
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

    /** The saved model with its first bias value NaN (and that tensor's checksum removed, as an edit would). */
    private static String withNanBias() {
        int at = saved.indexOf("\"name\": \"dense_0.bias\"");
        String bias = saved.substring(at).replaceFirst("\"crc32c\": \"0x[0-9a-f]{8}\",\\s*", "")
                .replaceFirst("\"data\": \\[ [^,\\]]+", "\"data\": [ NaN");
        return saved.substring(0, at) + bias;
    }

    @Test
    void predictRefusesNanOutputsInsteadOfPrintingClassZero() throws IOException {
        Path file = Files.writeString(dir.resolve("nan-predict.json"), withNanBias());
        Path csv = Files.writeString(dir.resolve("zeros.csv"), "0,".repeat(783) + "0\n");
        String line = ErrorsTest.oneLineError(Cli.run("predict", file.toString(), "--input", csv.toString()), 1);
        assertTrue(line.contains(file + " gives NaN for output "), line);
        assertTrue(line.contains("of example 1, so it predicts nothing"), line);
    }

    @Test
    void nanInTheWeightsIsNamedAsSuchNotAsALearningRateProblem() throws IOException {
        String line = resume("nan.json", withNanBias());
        assertTrue(line.contains("parameter 'dense_0.bias' holds NaN (element 0), so training cannot continue from it"), line);
        assertFalse(line.contains("Lower the learning rate"), line);
    }
}
