package dev.propel.model.testplugin;

import dev.propel.model.OptimizerState;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import dev.propel.train.EpochMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Field-by-field, bit-for-bit comparison of saved models, for format round-trip tests. */
public final class SavedModelAssert {
    private SavedModelAssert() {
    }

    public static void assertSameModel(SavedModel expected, SavedModel actual) {
        assertEquals(expected.producer(), actual.producer(), "producer");
        assertEquals(expected.spec(), actual.spec(), "spec (graph and attributes)");
        assertEquals(expected.graph(), actual.graph(), "graph (inputs and shapes)");
        assertEquals(expected.prediction(), actual.prediction(), "prediction rule");
        assertSameProvenance(expected.provenance(), actual.provenance());
        assertSameTensors(expected.parameters(), actual.parameters(), "parameters");
        OptimizerState es = expected.optimizerState();
        OptimizerState as = actual.optimizerState();
        if (es == null) {
            assertNull(as, "optimizer state");
        } else {
            assertNotNull(as, "optimizer state");
            assertEquals(es.type(), as.type(), "optimizer state type");
            assertEquals(es.stepCount(), as.stepCount(), "optimizer step count");
            assertSameTensors(es.tensors(), as.tensors(), "optimizer state");
        }
    }

    public static void assertSameProvenance(Provenance expected, Provenance actual) {
        if (expected == null) {
            assertNull(actual, "provenance");
            return;
        }
        assertNotNull(actual, "provenance");
        // Records compare floats with Float.compare semantics through equals of boxed values, so NaN == NaN.
        assertEquals(expected, actual, "provenance");
        assertEquals(bits(expected.metrics()), bits(actual.metrics()), "provenance metrics, bit for bit");
    }

    private static List<String> bits(List<EpochMetrics> metrics) {
        List<String> out = new ArrayList<>();
        for (EpochMetrics m : metrics) {
            out.add(m.epoch() + ":" + Float.floatToRawIntBits(m.trainLoss()) + "," + Float.floatToRawIntBits(m.trainAccuracy())
                    + "," + Float.floatToRawIntBits(m.validationLoss()) + "," + Float.floatToRawIntBits(m.validationAccuracy())
                    + "," + Float.floatToRawIntBits(m.learningRate()) + "," + Double.doubleToRawLongBits(m.seconds()) + "," + m.samples());
        }
        return out;
    }

    public static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), what + ": names in order");
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            assertEquals(e.getValue().shape(), a.shape(), what + " '" + e.getKey() + "' shape");
            assertArrayEquals(rawBits(e.getValue()), rawBits(a), what + " '" + e.getKey() + "' values, bit for bit");
        }
    }

    public static int[] rawBits(Tensor t) {
        int[] bits = new int[t.size()];
        for (int i = 0; i < bits.length; i++) bits[i] = Float.floatToRawIntBits(t.data()[i]);
        return bits;
    }
}
