package dev.propel.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
}
