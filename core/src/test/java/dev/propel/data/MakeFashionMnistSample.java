package dev.propel.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Makes the Fashion-MNIST sample bundled in propel-core: the first {@value FashionMnist#SAMPLE_TRAIN_SIZE}
 * training and the first {@value FashionMnist#SAMPLE_TEST_SIZE} test images and labels of the full
 * dataset, bytes unchanged, written as gzipped IDX files. Run from the repository root after
 * {@code mvn -pl core test-compile}:
 *
 * <pre>
 * java -cp core/target/classes:core/target/test-classes dev.propel.data.MakeFashionMnistSample \
 *     /usr/share/datasets/fashion-mnist core/src/main/resources/dev/propel/data/fashion-mnist-sample
 * </pre>
 *
 * {@code FashionMnistTest} checks that the bundled files are exactly this subset.
 */
public final class MakeFashionMnistSample {
    private MakeFashionMnistSample() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MakeFashionMnistSample <directory with the full Fashion-MNIST IDX files> <output directory>");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        int[] sizes = {FashionMnist.SAMPLE_TRAIN_SIZE, FashionMnist.SAMPLE_TRAIN_SIZE,
                FashionMnist.SAMPLE_TEST_SIZE, FashionMnist.SAMPLE_TEST_SIZE};
        for (int i = 0; i < IdxDirectory.FILE_NAMES.size(); i++) {
            String name = IdxDirectory.FILE_NAMES.get(i);
            IdxData full = IdxReader.read(in.resolve(name + ".gz"));
            IdxData head = full.head(sizes[i]);
            Path target = out.resolve(name + ".gz");
            IdxWriter.write(target, head);
            System.out.println(target + ": " + Arrays.toString(head.dims()) + ", " + Files.size(target) + " bytes");
            if (name.contains("labels")) {
                System.out.println("  class counts: " + Arrays.toString(counts(head.toInts())));
            }
        }
    }

    private static int[] counts(int[] labels) {
        int[] c = new int[FashionMnist.CLASSES];
        for (int y : labels) c[y]++;
        return c;
    }
}
