package dev.propel.model;

import dev.propel.Propel;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Turns a {@link ModelSpec} into a {@link Model}, inferring every layer's shape as it goes. */
public final class ModelBuilder {
    private final Propel propel;

    public ModelBuilder(Propel propel) {
        this.propel = propel;
    }

    public Model build(ModelSpec spec, long seed) {
        Shape shape = Shape.of(spec.inputDims());
        if (shape.rank() == 0 || shape.size() == 0) {
            throw new ShapeException("model input shape " + shape + " must have at least one dimension and no zero dimension");
        }
        if (spec.layers().isEmpty()) {
            throw new IllegalArgumentException("the model spec has no layers; add at least one, e.g. {\"type\": \"dense\", \"units\": 10}");
        }
        SplittableRandom root = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec ls = spec.layers().get(i);
            LayerFactory factory = propel.layerFactory(ls.type());
            String name = ls.name() != null ? ls.name() : ls.type() + "_" + i;
            if (!names.add(name)) {
                throw new IllegalArgumentException("layer name '" + name + "' is used twice (layer " + i
                        + "); give each layer a unique name");
            }
            String owner = "layer " + i + " '" + name + "' (" + ls.type() + ")";
            Attributes attributes = factory.schema().resolve(owner, ls.attributes());
            Layer layer;
            try {
                layer = factory.create(new LayerSetup(name, attributes, shape, root.split()));
            } catch (ShapeException e) {
                // Factories should name the layer themselves; add the position only where they did not.
                String msg = e.getMessage();
                throw msg != null && msg.contains("'" + name + "'") ? e : new ShapeException(owner + ": " + msg);
            }
            layers.add(layer);
            shape = layer.outputShape();
        }
        LossFactory lossFactory = propel.lossFactory(spec.loss().type());
        Loss loss = lossFactory.create(lossFactory.schema().resolve("loss '" + spec.loss().type() + "'", spec.loss().attributes()));
        return new Model(spec, layers, loss, propel.kernels());
    }
}
