package dev.propel.format.proto;

import dev.propel.Propel;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelFormatException;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.model.testplugin.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.propel.model.testplugin.SavedModelAssert.assertSameModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Damaged files: every truncation and every single-bit flip of a small model is caught. */
class ProtoCorruptionTest {
    private static Propel propel;
    private static SavedModel saved;
    private static byte[] good;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        propel = TinyModels.propel();
        saved = TinyModels.trained(propel, 2);
        Path file = dir.resolve("good.pb");
        // Small chunks, so the file has many chunk boundaries to cut at.
        new ProtoModelFormat(64).write(saved, file);
        good = Files.readAllBytes(file);
    }

    @AfterAll
    static void tearDown() {
        propel.close();
    }

    /** Reads bytes from memory (writing thousands of files would spend the time in the file system). */
    private static SavedModel read(byte[] bytes) throws Exception {
        return new ProtoModelFormat().read("damaged.pb", new ByteArrayChannel(bytes), TensorReceiver.allocating());
    }

    @Test
    void theIntactFileReads() throws Exception {
        assertSameModel(saved, read(good));
        assertTrue(good.length > 1000, "a file with enough structure to damage: " + good.length);
    }

    @Test
    void aFileTruncatedAtAnyByteOffsetIsRefusedAsTruncated() throws Exception {
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(cut), "truncated to " + len + " bytes");
            assertTrue(e.getMessage().contains("damaged.pb"), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), "cut at " + len + ": " + e.getMessage());
        }
    }

    @Test
    void aBitFlipAnywhereIsCaughtExceptInTheMinorVersion() throws Exception {
        int harmless = 0;
        for (int i = 0; i < good.length; i++) {
            // Every bit of the preamble and header length; one bit (rotating) of every other byte.
            for (int bit = i < 32 ? 0 : i % 8; bit < (i < 32 ? 8 : i % 8 + 1); bit++) {
                byte[] flipped = good.clone();
                flipped[i] ^= (byte) (1 << bit);
                try {
                    SavedModel m = read(flipped);
                    // A newer minor version is readable by design; nothing else may pass.
                    if (i != 10 && i != 11) fail("flipping bit " + bit + " of byte " + i + " went unnoticed");
                    assertSameModel(saved, m);
                    harmless++;
                } catch (ModelFormatException e) {
                    assertTrue(e.getMessage().startsWith("damaged.pb: "), e.getMessage());
                }
            }
        }
        assertEquals(16, harmless);
    }

    @Test
    void aDataFlipNamesTheTensorChunkAndOffset() throws Exception {
        byte[] flipped = good.clone();
        flipped[flipped.length - 10] ^= 0x10;
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(flipped));
        assertTrue(e.getMessage().contains("optimizer state tensor 'affine_3.bias/v'"), e.getMessage());
        assertTrue(e.getMessage().contains("fails its CRC32C check"), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset"), e.getMessage());
    }

    @Test
    void aHeaderFlipIsReportedAsAHeaderChecksumFailure() throws Exception {
        byte[] flipped = good.clone();
        flipped[40] ^= 0x01;
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(flipped));
        assertTrue(e.getMessage().contains("the header (bytes 14 to"), e.getMessage());
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    }

    @Test
    void extraBytesAfterTheLastTensorAreRefused() throws Exception {
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(longer));
        assertTrue(e.getMessage().contains("3 unexpected bytes after its last tensor, at byte offset " + good.length),
                e.getMessage());
    }

    @Test
    void anotherKindOfFileIsNotTakenForAModel() throws Exception {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> read("{\"input\": [784], \"layers\": []}".getBytes()));
        assertTrue(e.getMessage().contains("not a Propel model file: byte 0 is 0x7b"), e.getMessage());
        assertTrue(e.getMessage().contains(".json"), e.getMessage());
    }

    @Test
    void loadingThroughModelFilesGivesTheSameErrors() throws Exception {
        Path file = dir.resolve("cut.pb");
        Files.write(file, Arrays.copyOf(good, good.length - 1));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(propel, file));
        assertTrue(e.getMessage().startsWith(file + ": the file is truncated"), e.getMessage());
    }
}
