package dev.propel.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.model.ModelFiles;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.propel.spark.SparkCliTest.propel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code propel train --spark} of a model with batch_norm: the saved file carries the trained layer state. */
class SparkLayerStateCliTest {
    @TempDir
    Path dir;

    /** {@code d} as CSV with a header, features rounded to eighths (exact in decimal, so every reader parses the same floats). */
    private static void writeCsv(Dataset d, Path file) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < TinyData.FEATURES; j++) csv.append('f').append(j).append(',');
        csv.append("label\n");
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < TinyData.FEATURES; j++) {
                csv.append(Math.round(d.features().data()[i * TinyData.FEATURES + j] * 8) / 8.0).append(',');
            }
            csv.append(d.labels()[i]).append('\n');
        }
        Files.writeString(file, csv);
    }

    @Test
    void theSavedModelCarriesTheStateTheRunEvaluatedWith() throws Exception {
        Path data = Files.createDirectories(dir.resolve("blobs"));
        writeCsv(TinyData.blobs(200, 7), data.resolve("train.csv"));
        writeCsv(TinyData.blobs(60, 8), data.resolve("test.csv"));
        Path spec = dir.resolve("bn.json");
        Files.writeString(spec, """
                {"input": [12], "layers": [{"type": "dense", "units": 16}, {"type": "batch_norm"}, {"type": "relu"},
                 {"type": "dense", "units": 3}], "loss": {"type": "cross_entropy"},
                 "optimizer": {"type": "adam", "learning_rate": 0.01}}""");
        Path out = dir.resolve("bn.pb");
        // Batches of 40: every batch has 40 examples, about 20 on each of the two partitions.
        SparkCliTest.Run r = propel("train", "--spark", "local[2]", "--spec", spec.toString(), "--data", data.toString(), "--epochs", "2",
                "--batch-size", "40", "--json", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode last = new ObjectMapper().readTree(r.out()).get("epochs").get(1);

        SparkCliTest.Run e = propel("eval", out.toString(), "--data", data.resolve("test.csv").toString(), "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode eval = new ObjectMapper().readTree(e.out());
        System.out.printf("batch_norm model trained on local[2]: test loss in training %s, of the saved file %s%n",
                last.get("test_loss"), eval.get("loss"));
        // The run's last test evaluation used the in-memory model (inference mode: running statistics); the file gives the same.
        double loss = last.get("test_loss").asDouble();
        assertEquals(loss, eval.get("loss").asDouble(), 1e-6 * loss);
        assertEquals(last.get("test_accuracy").asDouble(), eval.get("accuracy").asDouble(), 0.0);
        assertTrue(eval.get("accuracy").asDouble() >= 0.8, e.out());

        try (Propel propel = Propel.create()) {
            Map<String, Tensor> state = ModelFiles.load(propel, out).model().state();
            assertEquals(10f, state.get("batch_norm_1.num_batches_tracked").data()[0], "2 epochs of 5 batches, counted once each");
            for (float v : state.get("batch_norm_1.running_var").data()) assertNotEquals(1f, v, "the running variance was trained");
        }
    }
}
