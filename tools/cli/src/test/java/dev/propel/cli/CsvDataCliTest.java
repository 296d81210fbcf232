package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Your own data: {@code train}, {@code eval}, {@code compare} and {@code predict} on CSV files with a header, the
 * label column found by name ("label" by default) or index, the test split from {@code --test-data} or held out,
 * and errors that name file, line and column.
 */
class CsvDataCliTest {
    @TempDir
    Path dir;

    private Path spec;
    private Path train;
    private Path test;

    /** Three well separated classes in 4 features; the label is the first column. */
    private Path csv(String name, int rows, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("label,a,b,c,d\n");
        for (int i = 0; i < rows; i++) {
            int y = i % 3;
            sb.append(y);
            for (int f = 0; f < 4; f++) sb.append(String.format(Locale.ROOT, ",%.3f", (f == y ? 3.0 : 0.0) + r.nextGaussian() * 0.3));
            sb.append('\n');
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    @BeforeEach
    void files() throws IOException {
        spec = Files.writeString(dir.resolve("spec.json"), """
                {"input": [4], "layers": [{"type": "dense", "units": 8}, {"type": "relu"}, {"type": "dense", "units": 3}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.05}}
                """);
        train = csv("train.csv", 300, 1);
        test = csv("test.csv", 60, 2);
    }

    private static Cli ok(String... args) {
        Cli r = Cli.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    @Test
    void trainEvalComparePredictOnCsvFiles() throws IOException {
        Path model = dir.resolve("m.pb");
        JsonNode t = TrainCommandTest.json(ok("train", "--spec", spec.toString(), "--data", train.toString(), "--test-data",
                test.toString(), "--epochs", "5", "--batch-size", "30", "--seed", "1", "--json", "--out", model.toString()));
        assertEquals(300, t.get("train_examples").asInt(), t.toString());
        assertEquals(60, t.get("test_examples").asInt(), t.toString());
        JsonNode e = TrainCommandTest.json(ok("eval", model.toString(), "--data", test.toString(), "--json"));
        assertEquals(60, e.get("examples").asInt());
        assertTrue(e.get("accuracy").asDouble() > 0.9, e.toString());

        // The same data with the label last, chosen by index, and no test file: 20% of the rows are held out.
        Path model2 = dir.resolve("m2.pb");
        StringBuilder moved = new StringBuilder();
        for (String line : Files.readAllLines(train)) {
            int comma = line.indexOf(',');
            moved.append(line.substring(comma + 1)).append(',').append(line, 0, comma).append('\n');
        }
        Path last = Files.writeString(dir.resolve("last.csv"), moved.toString().replace("label\n", "y\n"));
        ok("train", "--spec", spec.toString(), "--data", last.toString(), "--epochs", "5", "--batch-size", "30",
                "--seed", "1", "--out", model2.toString());
        JsonNode c = TrainCommandTest.json(ok("compare", model.toString(), model2.toString(), "--data", test.toString(), "--json"));
        assertEquals(60, c.get("data").get("examples").asInt());

        Path input = Files.writeString(dir.resolve("input.csv"), "a,b,c,d\n3,0,0,0\n0,0,3,0\n");
        Cli p = ok("predict", model.toString(), "--input", input.toString());
        assertTrue(p.out().startsWith("0") && p.out().lines().count() == 2, p.out());
        assertTrue(p.out().lines().toList().get(1).startsWith("2"), p.out());
    }

    @Test
    void errorsNameFileLineAndColumn() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "label,a,b,c,d\n0,1,2,3,4\n1,1,x,3,4\n");
        Cli r = Cli.run("train", "--spec", spec.toString(), "--data", bad.toString(), "--epochs", "1");
        assertEquals(Main.FAILURE, r.exitCode(), r.toString());
        assertTrue(r.err().contains(bad + " line 3, column 3 ('b'): 'x' is not a number"), r.err());
        Cli noSuch = Cli.run("train", "--spec", spec.toString(), "--data", train.toString(), "--label-column", "species",
                "--epochs", "1");
        assertTrue(noSuch.err().contains("no column is named 'species'"), noSuch.err());
        Cli notCsv = Cli.run("train", "--spec", spec.toString(), "--data", "sample", "--label-column", "0", "--epochs", "1");
        assertTrue(notCsv.err().contains("--label-column applies to CSV data, but --data sample is not a CSV file"), notCsv.err());
    }
}
