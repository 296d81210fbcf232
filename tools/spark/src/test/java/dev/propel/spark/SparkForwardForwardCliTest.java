package dev.propel.spark;

import dev.propel.data.IdxType;
import dev.propel.data.IdxWriter;
import dev.propel.model.ModelFiles;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code propel train --spark MASTER --algorithm forward-forward} against the same command without {@code --spark}. */
class SparkForwardForwardCliTest {
    @TempDir
    static Path dir;

    /** 4×4 images of 3 classes: class c is bright in the pixels p with p % 3 == c. */
    static void writeIdx(Path data, String prefix, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] images = new int[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(3);
            for (int p = 0; p < 16; p++) images[i * 16 + p] = (p % 3 == labels[i] ? 150 : 0) + rng.nextInt(100);
        }
        IdxWriter.write(data.resolve(prefix + "-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{n, 4, 4}, images);
        IdxWriter.write(data.resolve(prefix + "-labels-idx1-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{n}, labels);
    }

    @BeforeAll
    static void spark() {
        LocalSpark.session(); // the module's one Spark application: --spark joins it
    }

    @Test
    void forwardForwardOnSparkMatchesTheSameRunOnOneMachine() throws Exception {
        Path data = Files.createDirectories(dir.resolve("idx"));
        writeIdx(data, "train", 200, 21);
        writeIdx(data, "t10k", 60, 22);
        Path spec = Files.writeString(dir.resolve("ff.json"), """
                {"input": [16], "layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 16},
                 {"type": "relu"}], "loss": {"type": "cross_entropy"}, "optimizer": {"type": "momentum", "learning_rate": 0.05, "momentum": 0.9}}""");
        String[] common = {"train", "--algorithm", "forward-forward", "--negatives", "hard", "--spec", spec.toString(),
                "--data", data.toString(), "--epochs", "1", "--batch-size", "64", "--seed", "3"};
        Path local = dir.resolve("ff-local.pb");
        SparkCliTest.Run one = SparkCliTest.propel(concat(common, "--out", local.toString()));
        assertEquals(0, one.code(), one.err());
        Path spark = dir.resolve("ff-spark.pb");
        SparkCliTest.Run r = SparkCliTest.propel(concat(common, "--spark", "local[2]", "--json", "--out", spark.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("spark: 4 steps"), r.err());
        assertTrue(r.out().contains("\"forward_forward\""), r.out());

        SavedModel a = ModelFiles.read(local);
        SavedModel b = ModelFiles.read(spark);
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        double worst = 0;
        Map<String, float[]> x = new java.util.LinkedHashMap<>();
        Map<String, float[]> y = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : a.parameters().entrySet()) {
            worst = Math.max(worst, SparkTrainingTest.maxRelativeDifference(e.getValue().data(), b.parameters().get(e.getKey()).data()));
            x.put(e.getKey(), e.getValue().data());
            y.put(e.getKey(), b.parameters().get(e.getKey()).data());
        }
        System.out.printf("propel train --algorithm forward-forward: --spark local[2] vs one machine: max relative difference %.3g%n%s", worst,
                SparkForwardForwardTest.perTensor(x, y));
        // Normwise per tensor; element-wise, the weights of smallest magnitude differ by up to 3.6e-5 relative (docs/spark.md).
        double normwise = SparkForwardForwardTest.maxNormwise(x, y);
        assertTrue(normwise <= 1e-5, "max normwise relative difference " + normwise);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
