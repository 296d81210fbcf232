package dev.propel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tiny spec in a file, and a model trained from it for one epoch on the sample: files for tests to attack. */
record TinyRun(Path spec, Path model) {

    /** Writes {@code tiny.json} into {@code dir} and trains it to {@code dir/modelName} (.pb or .json). */
    static TinyRun in(Path dir, String modelName) throws IOException {
        Path spec = Files.writeString(dir.resolve("tiny.json"), TrainCommandTest.TINY_SPEC);
        Path model = dir.resolve(modelName);
        ModelCommandsTest.ok("--threads", "1", "train", "--spec", spec.toString(), "--data", "sample", "--epochs", "1", "--out",
                model.toString());
        return new TinyRun(spec, model);
    }
}
