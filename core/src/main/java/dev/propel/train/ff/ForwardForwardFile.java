package dev.propel.train.ff;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelFormatException;
import dev.propel.model.PredictionRule;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a Forward-Forward model lives in a model file, in no particular format: its stack is the file's
 * graph and parameters, as for any model; its {@link ForwardForwardSettings} are the attributes of the
 * file's prediction rule of type {@value #RULE}; and its softmax head, when it has one, is two more
 * parameter tensors that the rule claims through its {@link PredictionRule#TENSORS} attribute. So a
 * loaded FF model predicts exactly as it did right after training.
 */
public final class ForwardForwardFile {
    /** The prediction-rule type of Forward-Forward models. */
    public static final String RULE = "forward_forward";

    private ForwardForwardFile() {
    }

    /** The prediction rule recording {@code model}'s settings (and its head tensors, if any). */
    public static PredictionRule predictionRule(ForwardForwardModel model) {
        Map<String, Object> attributes = new LinkedHashMap<>(model.settings().toAttributes());
        List<String> head = new ArrayList<>(model.headParameters().keySet());
        if (!head.isEmpty()) attributes.put(PredictionRule.TENSORS, head);
        return new PredictionRule(RULE, attributes);
    }

    /**
     * The saved form of a trained FF model: its stack, the prediction rule, the head's tensors and
     * {@code provenance} (may be null). {@code optimizer} (may be null) is recorded as the type and
     * attributes every layer's optimizer had; no optimizer state is kept (FF runs are not resumed).
     */
    public static SavedModel saved(Propel propel, ForwardForwardModel model, Optimizer optimizer, Provenance provenance) {
        SavedModel.Builder b = SavedModel.builder(propel, model.stack()).prediction(predictionRule(model)).provenance(provenance);
        if (optimizer != null) b.optimizer(optimizer, false);
        SavedModel stackOnly = b.build();
        Map<String, Tensor> all = new LinkedHashMap<>(stackOnly.parameters());
        all.putAll(model.headParameters());
        return stackOnly.withTensors(all, null);
    }

    /** Whether a saved model is a Forward-Forward model. */
    public static boolean isForwardForward(SavedModel saved) {
        return RULE.equals(saved.prediction().type());
    }

    /**
     * The FF model of a loaded file: {@code stack} is the model rebuilt from the file (its weights
     * loaded), {@code saved} what the file holds. Errors name {@code source}.
     */
    public static ForwardForwardModel restore(String source, Model stack, SavedModel saved) {
        if (!isForwardForward(saved)) {
            throw new ModelFormatException(source + " predicts with rule '" + saved.prediction().type() + "', not '" + RULE
                    + "': it is not a Forward-Forward model");
        }
        Map<String, Object> attributes = new LinkedHashMap<>(saved.prediction().attributes());
        attributes.remove(PredictionRule.TENSORS);
        Map<String, Tensor> head = new LinkedHashMap<>();
        for (String name : saved.prediction().tensorNames()) {
            Tensor t = saved.parameters().get(name);
            if (t == null) throw new ModelFormatException(source + ": the Forward-Forward head tensor '" + name + "' is missing");
            head.put(name, t);
        }
        try {
            ForwardForwardSettings settings = ForwardForwardSettings.fromAttributes(source + ": Forward-Forward prediction rule", attributes);
            return ForwardForwardModel.restore(stack, settings, head);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": the Forward-Forward model in the file is inconsistent: " + e.getMessage(), e);
        }
    }
}
