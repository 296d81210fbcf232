package dev.propel.testkit;

import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Makes a layer straight from its factory, validating the attributes as a model builder would. */
public final class TestLayers {
    private TestLayers() {
    }

    /** A layer named {@code "<type>_0"} for the per-sample {@code inputShape}, parameters initialised from {@code seed}. */
    public static Layer create(LayerFactory factory, Map<String, ?> attributes, Shape inputShape, long seed) {
        return create(factory, factory.typeId() + "_0", attributes, inputShape, seed);
    }

    /** A layer named {@code name} for the per-sample {@code inputShape}, parameters initialised from {@code seed}. */
    public static Layer create(LayerFactory factory, String name, Map<String, ?> attributes, Shape inputShape, long seed) {
        return create(factory, name, attributes, List.of(inputShape), seed);
    }

    /** A layer named {@code "<type>_0"} reading inputs of the given per-sample shapes, named {@code in_0}, {@code in_1}, …. */
    public static Layer create(LayerFactory factory, Map<String, ?> attributes, List<Shape> inputShapes, long seed) {
        return create(factory, factory.typeId() + "_0", attributes, inputShapes, seed);
    }

    /**
     * A layer named {@code name} reading inputs of the given per-sample shapes, named {@code in_0}, {@code in_1}, …,
     * parameters initialised from {@code seed}.
     */
    public static Layer create(LayerFactory factory, String name, Map<String, ?> attributes, List<Shape> inputShapes, long seed) {
        Attributes resolved = factory.schema().resolve("layer '" + name + "' (" + factory.typeId() + ")", attributes);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputShapes.size(); i++) names.add(inputShapes.size() == 1 ? "input" : "in_" + i);
        return factory.create(new LayerSetup(name, resolved, inputShapes, names, new SplittableRandom(seed)));
    }
}
