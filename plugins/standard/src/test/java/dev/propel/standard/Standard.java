package dev.propel.standard;

import dev.propel.Propel;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.ScalarKernels;
import dev.propel.spi.Layer;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Shape;
import dev.propel.testkit.TestLayers;

import java.util.Map;

/**
 * The registry the plugin's tests use: scalar reference kernels and the plugins found on the class
 * path (that is, this one, through its META-INF/services entry).
 */
public final class Standard {
    public static final Kernels KERNELS = new ScalarKernels();
    public static final Propel PROPEL = Propel.builder().kernels(KERNELS).build();

    private Standard() {
    }

    /** A layer of type {@code type} made through the registry, for per-sample input shape {@code dims}. */
    public static Layer layer(String type, Map<String, ?> attributes, int... dims) {
        return TestLayers.create(PROPEL.layerFactory(type), attributes, Shape.of(dims), 7);
    }

    public static Loss loss(String type, Map<String, ?> attributes) {
        LossFactory f = PROPEL.lossFactory(type);
        return f.create(f.schema().resolve("loss '" + type + "'", attributes));
    }

    public static Optimizer optimizer(String type, Map<String, ?> attributes) {
        return PROPEL.optimizer(type, attributes);
    }
}
