package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.PredictionRule;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Tensor;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained model as executors receive it for inference: the spec, every parameter and state tensor by
 * name, and whether it classifies (argmax) or outputs values (identity). Executors rebuild it with their
 * own plugins, as loading a model file does: no code travels.
 */
record ShippedModel(ShippedSpec spec, LinkedHashMap<String, Values> tensors, boolean classifies) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    record Values(int[] dims, float[] data) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    static ShippedModel of(Model model, PredictionRule rule, String name) {
        if (!PredictionRule.ARGMAX.equals(rule.type()) && !PredictionRule.IDENTITY.equals(rule.type())) {
            throw new PropelException(name + " predicts with the rule '" + rule.type() + "'; prediction on Spark supports models that "
                    + "predict with argmax or identity (backprop models); predict this one on one machine (propel predict without --spark)");
        }
        LinkedHashMap<String, Values> tensors = new LinkedHashMap<>();
        copy(model.parameters(), tensors);
        copy(model.state(), tensors);
        return new ShippedModel(ShippedSpec.of(model.spec()), tensors, PredictionRule.ARGMAX.equals(rule.type()));
    }

    private static void copy(Map<String, Tensor> from, Map<String, Values> to) {
        from.forEach((name, t) -> to.put(name, new Values(t.shape().dims(), t.contiguous().data().clone())));
    }

    /** The model, rebuilt with {@code propel}'s plugins and holding the shipped values. */
    Model rebuild(Propel propel) {
        Model model = propel.build(spec.spec(), 0);
        Map<String, Tensor> params = new LinkedHashMap<>();
        Map<String, Tensor> state = new LinkedHashMap<>();
        tensors.forEach((name, v) -> (model.parameters().containsKey(name) ? params : state)
                .put(name, Tensor.of(v.data(), v.dims())));
        model.loadParameters(params);
        model.loadState(state);
        return model;
    }
}
