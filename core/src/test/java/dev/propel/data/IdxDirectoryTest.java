package dev.propel.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxDirectoryTest {
    @TempDir
    Path dir;

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    /** 4 training and 2 test images of 2×3 pixels; pixel j of image i is 10·i + j; labels as given. */
    private void writeDataset(String suffix, int[] trainLabels, int[] testLabels) {
        writeImages(dir.resolve("train-images-idx3-ubyte" + suffix), 4);
        IdxWriter.write(dir.resolve("train-labels-idx1-ubyte" + suffix), IdxType.UNSIGNED_BYTE,
                new int[]{trainLabels.length}, trainLabels);
        writeImages(dir.resolve("t10k-images-idx3-ubyte" + suffix), 2);
        IdxWriter.write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), IdxType.UNSIGNED_BYTE,
                new int[]{testLabels.length}, testLabels);
    }

    private static void writeImages(Path p, int n) {
        int[] pixels = new int[n * 6];
        for (int i = 0; i < n; i++) for (int j = 0; j < 6; j++) pixels[6 * i + j] = 10 * i + j;
        IdxWriter.write(p, IdxType.UNSIGNED_BYTE, new int[]{n, 2, 3}, pixels);
    }

    @Test
    void loadsFlattenedScaledFeaturesAndInfersClasses() {
        writeDataset(".gz", new int[]{0, 2, 1, 2}, new int[]{4, 0});
        TrainTest tt = IdxDirectory.load(dir, "tiny", 0);
        assertEquals("tiny/train", tt.train().name());
        assertEquals("[4, 6]", tt.train().features().shape().toString());
        assertEquals("[2, 6]", tt.test().features().shape().toString());
        assertEquals(5, tt.train().classes(), "largest label (4, in the test split) + 1");
        assertEquals(5, tt.test().classes());
        assertArrayEquals(new int[]{0, 2, 1, 2}, tt.train().labels());
        assertEquals(13f / 255f, tt.train().features().get(1, 3));
    }

    @Test
    void acceptsPlainFilesAndTheDottedMnistSpelling() throws IOException {
        writeDataset("", new int[]{0, 1, 1, 0}, new int[]{1, 1});
        Files.move(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-images.idx3-ubyte"));
        TrainTest tt = IdxDirectory.load(dir, "plain", 2);
        assertEquals(4, tt.train().size());
        assertEquals(2, tt.train().classes());
    }

    @Test
    void missingFilesAreListedTogether() throws IOException {
        writeDataset(".gz", new int[]{0, 1, 1, 0}, new int[]{1, 1});
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> IdxDirectory.load(dir, "x", 0));
        assertMentions(e, dir.toString(), "lacks train-labels-idx1-ubyte, t10k-images-idx3-ubyte",
                "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte", ".gz");
    }

    @Test
    void missingDirectoryOrAFileInsteadOfADirectory() throws IOException {
        assertMentions(assertThrows(DataNotFoundException.class, () -> IdxDirectory.load(dir.resolve("none"), "x", 0)),
                "none does not exist", "train-images-idx3-ubyte");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertMentions(assertThrows(DataNotFoundException.class, () -> IdxDirectory.load(file, "x", 0)),
                "is a file, not a directory");
    }

    @Test
    void labelCountDifferentFromImageCount() {
        writeDataset(".gz", new int[]{0, 1, 1}, new int[]{1, 1});
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxDirectory.load(dir, "x", 0));
        assertMentions(e, "train-labels-idx1-ubyte.gz has 3 labels", "train-images-idx3-ubyte.gz has 4 images");
    }

    @Test
    void labelOutsideTheGivenClasses() {
        writeDataset(".gz", new int[]{0, 1, 1, 0}, new int[]{1, 7});
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxDirectory.load(dir, "x", 5));
        assertMentions(e, "t10k-labels-idx1-ubyte.gz", "label 1 is 7", "[0, 5)", "5 classes");
    }

    @Test
    void swappedImagesAndLabelsFilesAreRecognised() throws IOException {
        writeDataset(".gz", new int[]{0, 1, 1, 0}, new int[]{1, 1});
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
        Path temp = dir.resolve("swap");
        Files.move(labels, temp);
        Files.move(images, labels);
        Files.move(temp, images);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxDirectory.load(dir, "x", 0));
        assertMentions(e, "t10k-labels-idx1-ubyte.gz", "one dimension [n]", "[2, 2, 3]", "images file?");
    }

    @Test
    void trainAndTestImagesMustHaveTheSameSize() {
        writeDataset(".gz", new int[]{0, 1, 1, 0}, new int[]{1, 1});
        IdxWriter.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxType.UNSIGNED_BYTE, new int[]{2, 3, 2}, new int[12]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxDirectory.load(dir, "x", 0));
        assertMentions(e, "[2, 3]", "[3, 2]", "same size");
    }
}
