package dev.propel.format.proto;

import dev.propel.Propel;
import dev.propel.model.LoadedModel;
import dev.propel.model.ModelFiles;
import dev.propel.model.SavedModel;
import dev.propel.model.testplugin.TinyModels;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every committed model file of every format version still reads, exactly as it was written. The
 * {@code standard-*} fixtures are loaded with the standard plugin by that plugin's own tests
 * ({@code StandardFixturesTest}).
 */
class CompatibilityFixturesTest {

    private static List<Path> fixtures() throws Exception {
        Path root = resource("fixtures");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.toString().endsWith(".pb")).sorted().forEach(files::add);
        }
        return files;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(CompatibilityFixturesTest.class.getClassLoader().getResource(name).toURI());
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureReadsAsRecorded() throws Exception {
        List<Path> files = fixtures();
        assertTrue(files.size() >= 3, "fixtures found: " + files);
        assertTrue(files.stream().anyMatch(p -> p.getParent().getFileName().toString().equals("v1.0")));
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getParent().getFileName() + "/" + file.getFileName(), () -> {
            SavedModel m = ModelFiles.read(file);
            Path expected = file.resolveSibling(file.getFileName().toString().replace(".pb", ".expected.txt"));
            assertEquals(Files.readString(expected), FixtureSummary.of(m));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyTinyFixtureLoadsAndPredicts() throws Exception {
        return fixtures().stream().filter(p -> p.getFileName().toString().startsWith("tiny-"))
                .map(file -> DynamicTest.dynamicTest(file.getParent().getFileName() + "/" + file.getFileName(), () -> {
                    try (Propel propel = TinyModels.propel()) {
                        assertLoadsAndPredicts(propel, file);
                    }
                }));
    }

    private static void assertLoadsAndPredicts(Propel propel, Path file) throws Exception {
        LoadedModel loaded = ModelFiles.load(propel, file);
        int features = loaded.model().inputShape().size();
        var out = loaded.model().predict(TinyModels.data(3, features, 2, 1).features());
        assertEquals(3, out.rows());
        for (float v : out.toArray()) assertTrue(Float.isFinite(v));
        if (loaded.hasOptimizerState()) loaded.optimizer(propel);
    }
}
