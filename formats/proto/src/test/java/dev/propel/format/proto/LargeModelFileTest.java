package dev.propel.format.proto;

import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A model file past protobuf's 2 GiB message limit, with one tensor past it too, saves and loads.
 * Opt-in, as it writes 2.4 GB: {@code mvn -pl formats/proto -am verify -Dpropel.test.large=true
 * -Dpropel.fuzz.skip=true -Dtest=LargeModelFileTest -Dsurefire.failIfNoSpecifiedTests=false}.
 * Skipped when the temporary directory's disk has less than 6 GB free.
 */
@EnabledIfSystemProperty(named = "propel.test.large", matches = "true")
class LargeModelFileTest {
    private static final int FLOATS = 600_000_000; // 2.4 GB > 2 GiB

    @TempDir
    Path dir;

    private static float valueAt(int i) {
        return (i % 1_000_003) * 0.25f - (i & 7);
    }

    @Test
    void aModelOverTwoGibibytesSavesAndLoads() throws Exception {
        assumeTrue(Files.getFileStore(dir).getUsableSpace() > 6_000_000_000L, "needs 6 GB of free disk");
        Path file = dir.resolve("large.pb");
        {
            Tensor big = Tensor.zeros(FLOATS / 1000, 1000);
            float[] d = big.data();
            for (int i = 0; i < d.length; i++) d[i] = valueAt(i);
            SavedModel m = ProtoRoundTripTest.handMade(Map.of("a.big", big));
            long t0 = System.nanoTime();
            new ProtoModelFormat().write(m, file);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("saved %.2f GB in %.2f s (%.0f MB/s, including fsync)%n", FLOATS * 4e-9, s, FLOATS * 4e-6 / s);
        }
        long size = Files.size(file);
        assertTrue(size > (1L << 31), "file of " + size + " bytes");
        assertTrue(size <= FLOATS * 4L * 1.01);
        long t0 = System.nanoTime();
        SavedModel read = new ProtoModelFormat().read(file, TensorReceiver.allocating());
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("read %.2f GB in %.2f s (%.0f MB/s)%n", size * 1e-9, s, size * 1e-6 / s);
        Tensor t = read.parameters().get("a.big");
        assertEquals(FLOATS, t.size());
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (Float.floatToRawIntBits(d[i]) != Float.floatToRawIntBits(valueAt(i))) {
                throw new AssertionError("element " + i + " is " + d[i] + " instead of " + valueAt(i));
            }
        }
    }
}
