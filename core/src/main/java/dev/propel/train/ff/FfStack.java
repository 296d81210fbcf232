package dev.propel.train.ff;

import dev.propel.model.Model;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerCapability;
import dev.propel.spi.PropelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A model seen as a stack of Forward-Forward blocks. A block is one trainable layer (a {@code dense}
 * layer) followed by the parameter-free layers that shape its output (activations, dropout); each
 * block is trained on its own, and its output activities are what its goodness is measured on.
 *
 * <p>Only layers for which the FF recipe makes sense are accepted, whatever plugin provides them: a block
 * starts with a layer that declares {@link LayerCapability#AFFINE} and continues with layers that
 * declare {@link LayerCapability#ELEMENTWISE}. Any other layer, and any graph model, is rejected with an
 * {@link UnsupportedLayerException} (or a {@code PropelException}) that names it and says what to do.
 */
public final class FfStack {

    private final Model model;
    private final List<Block> blocks;

    /** One block: its position, the indices of its layers in the model, and its layers. */
    public record Block(int index, int firstLayer, List<Layer> layers) {
        /** Copies the layer list. */
        public Block {
            layers = List.copyOf(layers);
        }

        /** Features per example going in. */
        public int inputSize() {
            return layers.getFirst().inputShape().size();
        }

        /** Units per example coming out: the width whose goodness is measured. */
        public int width() {
            return layers.getLast().outputShape().size();
        }

        /** "dense_0 → relu_1". */
        public String describe() {
            List<String> names = new ArrayList<>();
            for (Layer l : layers) names.add(l.name());
            return String.join(" → ", names);
        }
    }

    private FfStack(Model model, List<Block> blocks) {
        this.model = model;
        this.blocks = List.copyOf(blocks);
    }

    /** Splits {@code model} into blocks, or explains which layer Forward-Forward cannot train. */
    public static FfStack of(Model model) {
        refuseMultiAxisLayers(model);
        if (!model.graph().isSequential()) {
            throw new PropelException("Forward-Forward trains a plain stack of layers, each reading the one before it, but this"
                    + " model is a graph (layers read " + graphSummary(model) + "); train graph models with backprop");
        }
        List<Layer> layers = model.layers();
        List<Block> blocks = new ArrayList<>();
        List<Layer> current = null;
        int first = -1;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String type = layer.typeId();
            String owner = "layer " + i + " '" + layer.name() + "' (" + type + ")";
            Set<LayerCapability> capabilities = layer.capabilities();
            if (capabilities.contains(LayerCapability.AFFINE) && !layer.parameters().isEmpty()) {
                if (current != null) blocks.add(new Block(blocks.size(), first, current));
                current = new ArrayList<>();
                first = i;
                current.add(layer);
            } else if (capabilities.contains(LayerCapability.ELEMENTWISE) && layer.parameters().isEmpty()) {
                if (current == null) {
                    throw new UnsupportedLayerException(i, type, owner + " comes before any dense layer; a Forward-Forward "
                            + "block starts with a dense layer and its activation follows it. Move '" + layer.name()
                            + "' after a dense layer or remove it");
                }
                current.add(layer);
            } else {
                throw new UnsupportedLayerException(i, type, owner + " cannot be trained with Forward-Forward: FF trains "
                        + "blocks made of a dense-like layer (capability AFFINE, e.g. dense) followed by activation-like layers"
                        + " (capability ELEMENTWISE, e.g. relu, tanh, dropout), and '" + type + "' declares neither."
                        + hint(type, layer.name()));
            }
        }
        if (current == null) {
            throw new PropelException("the model has no dense layer, so Forward-Forward has nothing to train; "
                    + "give it hidden layers such as dense(units=500) + relu");
        }
        blocks.add(new Block(blocks.size(), first, current));
        return new FfStack(model, blocks);
    }

    /**
     * FF trains dense layers on flat {@code [features]} rows; a layer that reads or writes a per-sample shape
     * of several axes (a convolution on {@code [C, H, W]}, its pooling and normalization layers, a reshape to
     * images) belongs to a convolutional or sequence model, which FF does not train. Checked before the
     * graph test so that a residual convolutional network hears about its convolutions.
     */
    private static void refuseMultiAxisLayers(Model model) {
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer.inputShape().rank() > 1 || layer.outputShape().rank() > 1) {
                throw new UnsupportedLayerException(i, layer.typeId(), "layer " + i + " '" + layer.name() + "' ("
                        + layer.typeId() + ") works on per-sample shape " + layer.inputShape() + " -> " + layer.outputShape()
                        + ", but Forward-Forward trains dense layers on flat [features] rows: Forward-Forward on"
                        + " convolutional (or other multi-axis) models is not supported. Train this model with backprop"
                        + " (--algorithm backprop)");
            }
        }
    }

    private static String graphSummary(Model model) {
        List<String> edges = new ArrayList<>();
        for (int i = 0; i < model.graph().size() && edges.size() < 4; i++) {
            edges.add(model.layers().get(i).name() + " <- " + model.graph().inputNames(i));
        }
        return String.join(", ", edges) + (model.graph().size() > 4 ? ", …" : "");
    }

    private static String hint(String type, String name) {
        if (type.equals("softmax")) {
            return " In Forward-Forward the label is embedded in the input, so the stack needs no output layer: remove '"
                    + name + "' (and a final dense layer of one unit per class), or train this model with backprop";
        }
        return " Remove '" + name + "' from the model, or train it with backprop";
    }


    /** The underlying model (all blocks' layers, with its loss unused by Forward-Forward). */
    public Model model() {
        return model;
    }

    /** The blocks in order, each ending where goodness is measured. */
    public List<Block> blocks() {
        return blocks;
    }

    /** The number of blocks. */
    public int size() {
        return blocks.size();
    }

    /** Block {@code i} (from 0). */
    public Block block(int i) {
        return blocks.get(i);
    }

    /** The widest block output (sizes the shared buffers). */
    public int maxWidth() {
        int w = 0;
        for (Block b : blocks) w = Math.max(w, b.width());
        return w;
    }

    /** Features per example at the input of the stack. */
    public int inputSize() {
        return blocks.getFirst().inputSize();
    }

    /** Sum of the widths of blocks {@code from .. size()-1}: the input size of the softmax head. */
    public int widthFrom(int from) {
        int w = 0;
        for (int i = from; i < blocks.size(); i++) w += blocks.get(i).width();
        return w;
    }
}
