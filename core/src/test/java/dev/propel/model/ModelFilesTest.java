package dev.propel.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.propel.Propel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void withNoFormatInstalledTheErrorSaysWhichModuleToAddWithoutBlamingTheName() {
        // Core's own tests have no format module on the class path.
        var e = assertThrows(ModelFormatException.class, () -> ModelFiles.formatFor(Path.of("m.pb")));
        assertTrue(e.getMessage().contains("no installed model format reads or writes 'm.pb': add propel-format-proto"), e.getMessage());
        assertFalse(e.getMessage().contains("from its name"), e.getMessage());
        var json = assertThrows(ModelFormatException.class, () -> ModelFiles.formatFor(Path.of("m.json")));
        assertTrue(json.getMessage().contains("add propel-format-json"), json.getMessage());
    }

    @Test
    void aMissingFileIsPropelsOwnExceptionNamingTheFile() {
        Path missing = dir.resolve("missing.pb");
        var e = assertThrows(ModelNotFoundException.class, () -> ModelFiles.read(missing));
        assertTrue(e.getMessage().contains("there is no model file " + missing), e.getMessage());
        var nested = assertThrows(ModelNotFoundException.class, () -> ModelFiles.read(dir.resolve("no/such/m.pb")));
        assertTrue(nested.getMessage().contains("does not exist either"), nested.getMessage());
    }

    @Test
    void loadingAMissingFileOfEveryFormatIsModelNotFound() {
        try (Propel propel = Propel.builder().discoverPlugins(false).build()) {
            for (String name : List.of("m.pb", "m.json", "m.onnx")) {
                Path missing = dir.resolve(name);
                var e = assertThrows(ModelNotFoundException.class, () -> ModelFiles.load(propel, missing), name);
                assertTrue(e.getMessage().startsWith("there is no model file " + missing), e.getMessage());
            }
        }
    }

    @Test
    void anExistingOnnxFileWithoutTheOnnxModuleNamesTheModuleNotTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("m.onnx"), "not read");
        try (Propel propel = Propel.builder().discoverPlugins(false).build()) {
            var e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(propel, file));
            assertFalse(e instanceof ModelNotFoundException, e.getMessage());
            assertTrue(e.getMessage().contains("add propel-format-onnx (or dev.propel:propel-all) to the class path"), e.getMessage());
            assertFalse(e.getMessage().contains("from its name"), e.getMessage());
        }
        var save = assertThrows(ModelFormatException.class, () -> ModelFiles.formatFor(dir.resolve("out.onnx")));
        assertTrue(save.getMessage().contains("add propel-format-onnx"), save.getMessage());
    }
}
