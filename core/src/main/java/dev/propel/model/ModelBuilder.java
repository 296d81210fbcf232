package dev.propel.model;

import dev.propel.Propel;
import dev.propel.spi.Attributes;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.spi.Loss;
import dev.propel.spi.LossFactory;
import dev.propel.spi.MultiInputLayer;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a {@link ModelSpec} into a {@link Model}: resolves the graph ({@link GraphPlan}), then makes
 * each layer in execution order from the shapes of the nodes it reads.
 */
public final class ModelBuilder {
    private final Propel propel;

    /** A builder that creates layers, loss and kernels from the plugins of {@code propel}. */
    public ModelBuilder(Propel propel) {
        this.propel = propel;
    }

    /**
     * Builds {@code spec} with parameters initialised from {@code seed} (same seed, same values); throws {@link
     * dev.propel.spi.UnknownTypeException}, {@link dev.propel.spi.AttributeException} or {@link
     * dev.propel.tensor.ShapeException} naming the layer at fault.
     */
    public Model build(ModelSpec spec, long seed) {
        Shape inputShape = Shape.of(spec.inputDims());
        if (inputShape.rank() == 0 || inputShape.size() == 0) {
            throw new ShapeException("model input shape " + inputShape + " must have at least one dimension and no zero dimension");
        }
        if (spec.layers().isEmpty()) {
            throw new PropelException("the model spec has no layers; add at least one, e.g. {\"type\": \"dense\", \"units\": 10}");
        }
        GraphPlan plan = GraphPlan.of(spec);
        // One generator per layer, split in spec order: a layer's initial values do not depend on the execution order.
        SplittableRandom root = new SplittableRandom(seed);
        List<SplittableRandom> randoms = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) randoms.add(root.split());

        Map<String, Integer> built = new HashMap<>();
        List<Layer> layers = new ArrayList<>();
        int[][] sources = new int[plan.order().size()][];
        for (int specIndex : plan.order()) {
            LayerSpec ls = spec.layers().get(specIndex);
            String name = plan.names().get(specIndex);
            List<String> inputNames = plan.inputs().get(specIndex);
            List<Shape> shapes = new ArrayList<>();
            int[] src = new int[inputNames.size()];
            for (int k = 0; k < src.length; k++) {
                String in = inputNames.get(k);
                src[k] = in.equals(LayerInfo.MODEL_INPUT) ? ModelGraph.MODEL_INPUT : built.get(in);
                shapes.add(src[k] == ModelGraph.MODEL_INPUT ? inputShape : layers.get(src[k]).outputShape());
            }
            Layer layer = create(ls, specIndex, name, shapes, inputNames, randoms.get(specIndex));
            sources[layers.size()] = src;
            built.put(name, layers.size());
            layers.add(layer);
        }
        // Every layer leads to the output (GraphPlan refuses dangling ones), so the output runs last.
        LossFactory lossFactory = propel.lossFactory(spec.loss().type());
        Loss loss = lossFactory.create(lossFactory.schema().resolve("loss '" + spec.loss().type() + "'", spec.loss().attributes()));
        return new Model(spec, inputShape, new ModelGraph(layers, sources), loss, propel.kernels());
    }

    private Layer create(LayerSpec ls, int specIndex, String name, List<Shape> shapes, List<String> inputNames,
                         SplittableRandom random) {
        LayerFactory factory = propel.layerFactory(ls.type());
        String owner = "layer " + specIndex + " '" + name + "' (" + ls.type() + ")";
        Attributes attributes = factory.schema().resolve(owner, ls.attributes());
        LayerSetup setup = new LayerSetup(name, attributes, shapes, inputNames, random);
        Layer layer;
        try {
            layer = factory.create(setup);
        } catch (ShapeException e) {
            // Factories should name the layer themselves; add the position only where they did not.
            String msg = e.getMessage();
            throw msg != null && msg.contains("'" + name + "'") ? e : new ShapeException(owner + ": " + msg);
        }
        if (shapes.size() > 1 && !(layer instanceof MultiInputLayer)) {
            setup.requireSingleInput(ls.type());
        }
        if (layer.inputShapes().size() != shapes.size()) {
            throw new PropelException(owner + " was given " + shapes.size() + " inputs " + inputNames + " but the layer its plugin made reads "
                    + layer.inputShapes().size());
        }
        return layer;
    }
}
