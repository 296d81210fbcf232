package dev.propel.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {
    @Test
    void withNoFormatInstalledTheErrorSaysWhichModuleToAdd() {
        // Core's own tests have no format module on the class path.
        var e = assertThrows(ModelFormatException.class, () -> ModelFiles.formatFor(Path.of("m.pb")));
        assertTrue(e.getMessage().contains("no model format is installed"), e.getMessage());
        assertTrue(e.getMessage().contains("propel-format-proto"), e.getMessage());
    }
}
