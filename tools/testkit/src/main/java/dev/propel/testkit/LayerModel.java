package dev.propel.testkit;

import dev.propel.Propel;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Layer;
import dev.propel.tensor.Tensor;
import dev.propel.testkit.support.SliceLayer;
import dev.propel.testkit.support.SquaredErrorLoss;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A whole model around the layer under test, for the contracts that save and load models. A layer
 * reading one input reads the model input directly. A layer reading several gets them from a model
 * input of {@code Σ size(input i)} values per sample through one {@code testkit_slice} layer per input
 * (named {@code part_0}, {@code part_1}, …), so each input has its own shape and its own values.
 */
record LayerModel(Model model, LayerCase c, InputShapes set, int[] inputDims) {
    private static final String PART = "part_";

    static LayerModel build(Propel propel, LayerCase c, InputShapes set, Failures f, String contract, String subject) {
        String name = c.typeId() + "_0";
        List<LayerSpec> layers = new ArrayList<>();
        int[] inputDims;
        if (set.count() == 1) {
            inputDims = set.dims(0);
            layers.add(new LayerSpec(c.typeId(), name, c.orderedAttributes()));
        } else {
            int offset = 0;
            String[] parts = new String[set.count()];
            for (int i = 0; i < set.count(); i++) {
                parts[i] = PART + i;
                layers.add(LayerSpec.of(SliceLayer.TYPE, SliceLayer.attributes(offset, set.dims(i))).named(parts[i]).reading(LayerInfo.MODEL_INPUT));
                offset += set.shapes().get(i).size();
            }
            inputDims = new int[] {offset};
            layers.add(new LayerSpec(c.typeId(), name, c.orderedAttributes()).reading(parts));
        }
        ModelSpec spec = new ModelSpec(RoundTrips.list(inputDims), layers, ComponentSpec.of(SquaredErrorLoss.TYPE), null);
        try {
            return new LayerModel(propel.build(spec, c.seed()), c, set, inputDims);
        } catch (RuntimeException e) {
            throw f.fail(contract, subject, "building a model of the layer failed: " + e.getMessage(), e);
        }
    }

    /** The layer under test in {@code m} (this model or one loaded from its file). */
    Layer layerIn(Model m) {
        String name = c.typeId() + "_0";
        return m.layers().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no layer '" + name + "' in the model"));
    }

    Layer layer() {
        return layerIn(model);
    }

    /**
     * A model input {@code [batch, inputDims...]} drawn from the case's source; for several inputs, each
     * drawn with its own shape (a source may draw each input differently, e.g. lengths) and laid side by
     * side per sample, as the slices read them.
     */
    Tensor input(int batch, long salt) {
        SplittableRandom rng = new SplittableRandom(c.seed() * 1_000_003L + salt);
        if (set.count() == 1) return c.inputs().draw(rng, InputShapes.withBatch(batch, inputDims));
        Tensor x = Tensor.zeros(InputShapes.withBatch(batch, inputDims));
        int offset = 0;
        for (Tensor part : set.draw(c.inputs(), rng.nextLong(), batch)) {
            int size = part.size() / batch;
            for (int b = 0; b < batch; b++) System.arraycopy(part.data(), part.offset() + b * size, x.data(), b * inputDims[0] + offset, size);
            offset += size;
        }
        return x;
    }
}
