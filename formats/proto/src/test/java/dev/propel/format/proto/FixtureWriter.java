package dev.propel.format.proto;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.PredictionRule;
import dev.propel.model.SavedModel;
import dev.propel.model.testplugin.TinyModels;
import dev.propel.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the compatibility fixtures of the current format version into
 * {@code src/test/resources/fixtures/v<major>.<minor>/}, each with its {@code .expected.txt} (the
 * standard plugin's fixture is written by {@code StandardFixturesTest} in plugins/standard). Run it
 * once per new format version (never over an existing version's fixtures):
 * <pre>
 * mvn -q -pl formats/proto -am test-compile
 * java -cp "$(cat formats/proto/target/test-classpath.txt)" dev.propel.format.proto.FixtureWriter formats/proto
 * </pre>
 * (or run its main from an IDE with the test class path).
 */
public final class FixtureWriter {
    private FixtureWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".").resolve("src/test/resources/fixtures/v"
                + FileLayout.MAJOR + "." + FileLayout.MINOR);
        Files.createDirectories(dir);
        try (Propel propel = TinyModels.propel()) {
            write(dir, "tiny-trained", TinyModels.trained(propel, 2));
            Model untrained = propel.build(TinyModels.spec(3, 5, 2), 42);
            write(dir, "tiny-untrained", SavedModel.builder(propel, untrained).prediction(PredictionRule.identity()).build());
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.special", Tensor.of(new float[]{Float.NaN, Float.intBitsToFloat(0x7fa00001), Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, 1e-40f}, 2, 4));
        tensors.put("a.empty", Tensor.zeros(0, 3));
        float[] ramp = new float[300];
        for (int i = 0; i < ramp.length; i++) ramp[i] = i / 7f;
        tensors.put("a.ramp", Tensor.of(ramp, 3, 100));
        Path special = dir.resolve("handmade-special.pb");
        if (Files.exists(special)) return;
        new ProtoModelFormat(64).write(ProtoRoundTripTest.handMade(tensors), special);
        Files.writeString(dir.resolve("handmade-special.expected.txt"), FixtureSummary.of(ModelFiles.read(special)));
    }

    /** Writes a fixture unless it exists: fixtures of a version are never regenerated. */
    private static void write(Path dir, String name, SavedModel m) throws Exception {
        Path file = dir.resolve(name + ".pb");
        if (Files.exists(file)) return;
        ModelFiles.save(m, file);
        Files.writeString(dir.resolve(name + ".expected.txt"), FixtureSummary.of(m));
    }
}
