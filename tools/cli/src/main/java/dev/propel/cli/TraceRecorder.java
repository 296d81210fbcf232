package dev.propel.cli;

import dev.propel.model.LayerObserver;
import dev.propel.model.Model;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;
import dev.propel.train.BatchResult;
import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the steps of a backprop run as the {@link dev.propel.train.Trainer} takes them: the session's
 * tensors of every layer (through {@link LayerObserver}), then, after the update, the loss, the
 * parameter gradients the optimizer used, the new parameters and the optimizer's state. Asks the run
 * to stop after {@code steps} updates.
 */
final class TraceRecorder implements LayerObserver, TrainingListener {
    private final Model model;
    private final Optimizer optimizer;
    private final int steps;
    private final Map<String, Tensor> initialParameters;
    private final List<Trace.Step> recorded = new ArrayList<>();
    private List<LayerTensors> current;

    /** What one layer saw in the current step; gradients are the live accumulators, copied after the update. */
    private static final class LayerTensors {
        final Layer layer;
        final Tensor input;
        final Tensor output;
        Tensor gradOutput;
        Tensor gradInput;
        final Map<String, Tensor> gradients = new LinkedHashMap<>();

        LayerTensors(Layer layer, Tensor input, Tensor output) {
            this.layer = layer;
            this.input = input;
            this.output = output;
        }
    }

    TraceRecorder(Model model, Optimizer optimizer, int steps) {
        this.model = model;
        this.optimizer = optimizer;
        this.steps = steps;
        this.initialParameters = copies(model.parameters());
    }

    @Override
    public void onForward(int index, Layer layer, Tensor input, Tensor output) {
        if (index == 0) current = new ArrayList<>();
        current.add(new LayerTensors(layer, input.copy(), output.copy()));
    }

    @Override
    public void onBackward(int index, Layer layer, Tensor gradOutput, Tensor gradInput, LayerContext ctx) {
        LayerTensors t = current.get(index);
        t.gradOutput = gradOutput.copy();
        t.gradInput = gradInput == null ? null : gradInput.copy();
        for (String name : layer.parameters().keySet()) t.gradients.put(name, ctx.gradient(name));
    }

    @Override
    public void onBatchEnd(TrainingRun run, BatchResult batch) {
        List<Trace.LayerStep> layers = new ArrayList<>();
        for (LayerTensors t : current) {
            layers.add(new Trace.LayerStep(t.layer.name(), t.layer.typeId(), t.layer.parameters().keySet().stream().toList(),
                    hasFusedActivation(t.layer), t.input, t.output, t.gradOutput, t.gradInput, copies(t.gradients)));
        }
        recorded.add(new Trace.Step(recorded.size() + 1, batch.size(), batch.learningRate(), batch.loss(), layers,
                copies(model.parameters()), copies(optimizer.state())));
        current = null;
        if (recorded.size() >= steps) run.requestStop("traced " + steps + " step" + (steps == 1 ? "" : "s"));
    }

    /** A layer that applies its activation inside (dense with "activation": "sigmoid"), so its pre-activation is not seen. */
    private static boolean hasFusedActivation(Layer layer) {
        Object activation = layer.attributes().asMap().get("activation");
        return activation != null && !"none".equals(activation);
    }

    Trace trace(String optimizerName) {
        return new Trace(optimizerName, model.loss().typeId(), initialParameters, List.copyOf(recorded));
    }

    /** Copies of the tensors, in the same order (the live ones change with the next update). */
    static Map<String, Tensor> copies(Map<String, Tensor> tensors) {
        Map<String, Tensor> c = new LinkedHashMap<>();
        tensors.forEach((k, v) -> c.put(k, v.copy()));
        return c;
    }
}
