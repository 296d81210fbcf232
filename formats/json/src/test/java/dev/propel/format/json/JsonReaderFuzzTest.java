package dev.propel.format.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.propel.model.ModelFormatException;
import dev.propel.model.TensorReceiver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the JSON model reader, and the same reader reading a model spec, with Jazzer: any text reads
 * or fails with a {@link ModelFormatException} naming the file; an OutOfMemoryError, a hang or another
 * exception is a finding. Plain test runs replay the seeds in {@code JsonReaderFuzzTestInputs/}; the
 * build's {@code fuzz} execution fuzzes for a few seconds (see docs/format.md, "Fuzzing the readers").
 */
class JsonReaderFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void readerAcceptsOrRefusesCleanly(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            JsonModelFormat.fromJson(text, "fuzz.json", TensorReceiver.allocating());
        } catch (ModelFormatException expected) {
            requireNamesTheFile(expected);
        } catch (IOException e) {
            throw new AssertionError("reading from memory cannot fail with an I/O error", e);
        }
        try {
            JsonModelFormat.parseSpec(text, "fuzz.json");
        } catch (ModelFormatException expected) {
            requireNamesTheFile(expected);
        } catch (IOException e) {
            throw new AssertionError("reading from memory cannot fail with an I/O error", e);
        }
    }

    private static void requireNamesTheFile(ModelFormatException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("fuzz.json: ")) {
            throw new AssertionError("a format error that does not name the file: " + e.getMessage(), e);
        }
    }
}
