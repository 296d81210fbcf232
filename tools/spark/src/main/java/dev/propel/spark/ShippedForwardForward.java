package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.tensor.Tensor;
import dev.propel.train.ff.ForwardForwardModel;
import dev.propel.train.ff.ForwardForwardSettings;
import dev.propel.train.ff.LayerLocalGradients;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What executors need to compute Forward-Forward gradients: the stack's spec, the FF settings (as their
 * saved attribute map), the softmax head's tensor shapes (empty without a head), the seed of layers that
 * draw random numbers, and the largest batch. The weights travel separately, every step.
 */
record ShippedForwardForward(ShippedSpec stack, LinkedHashMap<String, Object> settings, LinkedHashMap<String, int[]> head,
                             long seed, int capacity) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    static ShippedForwardForward of(ForwardForwardModel model, long seed, int capacity) {
        LinkedHashMap<String, int[]> head = new LinkedHashMap<>();
        model.headParameters().forEach((name, t) -> head.put(name, t.shape().dims()));
        return new ShippedForwardForward(ShippedSpec.of(model.stack().spec()), new LinkedHashMap<>(model.settings().toAttributes()),
                head, seed, capacity);
    }

    /** A worker's gradient pass, on a model rebuilt with {@code propel}'s plugins (its values are set every step). */
    LayerLocalGradients worker(Propel propel) {
        Model model = propel.build(stack.spec(), 0);
        Map<String, Tensor> headTensors = new LinkedHashMap<>();
        head.forEach((name, dims) -> headTensors.put(name, Tensor.zeros(dims)));
        ForwardForwardSettings s = ForwardForwardSettings.fromAttributes("the Spark job's Forward-Forward settings", settings);
        return new LayerLocalGradients(ForwardForwardModel.restore(model, s, headTensors), capacity, seed, 0f);
    }
}
