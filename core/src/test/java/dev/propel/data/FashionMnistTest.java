package dev.propel.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FashionMnistTest {
    @TempDir
    Path dir;

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    private static void assertPixelsInUnitRange(Dataset d) {
        float[] x = d.features().data();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < d.features().size(); i++) {
            min = Math.min(min, x[i]);
            max = Math.max(max, x[i]);
        }
        assertEquals(0f, min, d.name());
        assertEquals(1f, max, d.name() + ": some pixel is 255, which must become exactly 1");
    }

    @Test
    void sampleAliasLoadsTheBundledSubset() {
        TrainTest tt = DataSources.resolve("sample");
        assertEquals("[6000, 784]", tt.train().features().shape().toString());
        assertEquals("[1000, 784]", tt.test().features().shape().toString());
        assertEquals(10, tt.train().classes());
        assertEquals(10, tt.test().classes());
        assertEquals("fashion-mnist-sample/train", tt.train().name());
        assertPixelsInUnitRange(tt.train());
        assertPixelsInUnitRange(tt.test());
        // the class balance stated in the sample's README
        assertArrayEquals(new int[]{560, 643, 608, 612, 584, 594, 590, 617, 590, 602}, tt.train().classCounts());
        assertArrayEquals(new int[]{107, 105, 111, 93, 115, 87, 97, 95, 95, 95}, tt.test().classCounts());
    }

    @Test
    void installedPackageLoadsWithTheFullSizes() {
        assumeTrue(Files.isDirectory(FashionMnist.INSTALLED_DIRECTORY),
                "the Debian package " + FashionMnist.DEBIAN_PACKAGE + " is not installed");
        TrainTest tt = DataSources.resolve("fashion-mnist");
        assertEquals("[60000, 784]", tt.train().features().shape().toString());
        assertEquals("[10000, 784]", tt.test().features().shape().toString());
        assertEquals("fashion-mnist/test", tt.test().name());
        for (int count : tt.train().classCounts()) assertEquals(6000, count, "Fashion-MNIST is balanced");
        for (int count : tt.test().classCounts()) assertEquals(1000, count, "Fashion-MNIST is balanced");
        assertPixelsInUnitRange(tt.test());
    }

    @Test
    void bundledSampleIsExactlyTheFirstItemsOfTheInstalledPackage() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.INSTALLED_DIRECTORY),
                "the Debian package " + FashionMnist.DEBIAN_PACKAGE + " is not installed");
        int[] sizes = {6000, 6000, 1000, 1000};
        for (int i = 0; i < 4; i++) {
            String name = IdxDirectory.FILE_NAMES.get(i);
            IdxData full = IdxReader.read(FashionMnist.INSTALLED_DIRECTORY.resolve(name + ".gz"));
            IdxData bundled;
            try (InputStream in = FashionMnist.class.getResourceAsStream(FashionMnist.SAMPLE_RESOURCES + name + ".gz")) {
                bundled = IdxReader.read(in, name);
            }
            assertArrayEquals(full.head(sizes[i]).dims(), bundled.dims(), name);
            assertArrayEquals(full.head(sizes[i]).toInts(), bundled.toInts(), name);
        }
    }

    @Test
    void missingDirectoryExplainsBothWaysOut() {
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> FashionMnist.load(dir.resolve("absent")));
        assertMentions(e, "absent does not exist", "apt-get install dataset-fashion-mnist",
                "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte");
    }

    @Test
    void packageNotInstalledExplainsEveryWayOut() {
        DataNotFoundException e = assertThrows(DataNotFoundException.class,
                () -> FashionMnist.loadInstalled(dir.resolve("usr/share/datasets/fashion-mnist")));
        assertMentions(e, "Fashion-MNIST is not installed", "apt-get install dataset-fashion-mnist",
                "t10k-labels-idx1-ubyte", "'sample'");
    }

    @Test
    void missingFileExplainsBothWaysOut() {
        IdxWriter.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxType.UNSIGNED_BYTE, new int[]{1, 28, 28}, new int[784]);
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> FashionMnist.load(dir));
        assertMentions(e, "lacks train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte",
                "apt-get install dataset-fashion-mnist");
    }

    @Test
    void imagesOfAnotherSizeAreNotFashionMnist() {
        IdxWriter.write(dir.resolve("train-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{1, 2, 2}, new int[4]);
        IdxWriter.write(dir.resolve("train-labels-idx1-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{1}, new int[]{3});
        IdxWriter.write(dir.resolve("t10k-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{1, 2, 2}, new int[4]);
        IdxWriter.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{1}, new int[]{9});
        DataFormatException e = assertThrows(DataFormatException.class, () -> FashionMnist.load(dir));
        assertMentions(e, "4 values each", "28×28 = 784");
        // the same directory is fine as a plain IDX dataset
        TrainTest tt = DataSources.resolve(dir.toString());
        assertEquals(10, tt.train().classes());
        assertEquals(dir.getFileName().toString() + "/train", tt.train().name());
    }

    @Test
    void unknownSourcesListTheAcceptedValues() throws IOException {
        for (String spec : new String[]{"mnist-fashion", dir.resolve("nowhere").toString(), " "}) {
            DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> DataSources.resolve(spec));
            assertMentions(e, "'fashion-mnist'", "'sample'", "a directory", "train-images-idx3-ubyte");
        }
        Path file = Files.writeString(dir.resolve("train-images-idx3-ubyte"), "x");
        assertMentions(assertThrows(DataNotFoundException.class, () -> DataSources.resolve(file.toString())),
                "is a file", "pass the directory");
    }
}
