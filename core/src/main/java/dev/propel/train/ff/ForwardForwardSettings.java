package dev.propel.train.ff;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.PropelException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trained Forward-Forward stack needs, besides its layers and weights, to predict: the label
 * embedding, the goodness and threshold it was trained with, the prediction rule and which blocks
 * count. Saved with the model as a plain attribute map ({@link #toAttributes()}), like a layer's
 * attributes, so every model format can store it without FF-specific code.
 *
 * @param classes           number of classes (label features at the start of the input)
 * @param labelStrength     value of the "on" label feature (the top of the input's value range)
 * @param goodness          sum or mean of squared activities
 * @param threshold         the threshold per unit (see {@link Goodness})
 * @param rule              how classes are predicted
 * @param firstCountedBlock the first block whose goodness (or activities, for the softmax rule) is used
 *                          in prediction; 1 skips the first hidden layer, as in the paper
 */
public record ForwardForwardSettings(int classes, float labelStrength, Goodness goodness, float threshold,
                                     PredictionRule rule, int firstCountedBlock) {

    /** The attribute schema of the saved form; its names are the keys of {@link #toAttributes()}. */
    public static final AttributeSchema SCHEMA = AttributeSchema.builder()
            .intAttr("classes", null, 2, "number of classes, embedded in the first input features")
            .positiveFloat("label_strength", 1f, "value of the label feature that is on (top of the input range)")
            .stringAttr("goodness", "sum", List.of("sum", "mean"), "goodness: sum or mean of squared activities")
            .positiveFloat("threshold", 1f, "goodness threshold per unit (times the width for the sum)")
            .stringAttr("prediction_rule", "goodness", List.of("goodness", "softmax"),
                    "goodness: sum goodness per candidate label; softmax: neutral-label pass and a softmax head")
            .intAttr("first_counted_block", 1, 0, "first block counted in prediction (1 skips the first hidden layer)")
            .build();

    /** Checks every setting; throws {@link PropelException} naming the first one out of range or missing. */
    public ForwardForwardSettings {
        new LabelEmbedding(classes, labelStrength); // validates both
        if (goodness == null) throw new PropelException("goodness must be given (sum or mean)");
        if (!(threshold > 0) || !Float.isFinite(threshold)) {
            throw new PropelException("Forward-Forward threshold must be a finite value > 0 (per unit), got " + threshold);
        }
        if (rule == null) throw new PropelException("prediction rule must be given (goodness or softmax)");
        if (firstCountedBlock < 0) {
            throw new PropelException("first counted block must be >= 0, got " + firstCountedBlock);
        }
    }

    /** The label embedding of {@code classes} and {@code labelStrength}. */
    public LabelEmbedding embedding() {
        return new LabelEmbedding(classes, labelStrength);
    }

    /** The same settings predicting with {@code newRule}. */
    public ForwardForwardSettings withRule(PredictionRule newRule) {
        return new ForwardForwardSettings(classes, labelStrength, goodness, threshold, newRule, firstCountedBlock);
    }

    /** The settings as an attribute map (int, float and string values) in schema order. */
    public Map<String, Object> toAttributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classes", classes);
        m.put("label_strength", labelStrength);
        m.put("goodness", goodness.id());
        m.put("threshold", threshold);
        m.put("prediction_rule", rule.id());
        m.put("first_counted_block", firstCountedBlock);
        return m;
    }

    /**
     * Reads settings saved with {@link #toAttributes()}; {@code owner} names the source in errors
     * (e.g. "model file 'ff.pb': forward_forward settings").
     */
    public static ForwardForwardSettings fromAttributes(String owner, Map<String, ?> attributes) {
        Attributes a = SCHEMA.resolve(owner, attributes);
        return new ForwardForwardSettings(a.getInt("classes"), a.getFloat("label_strength"),
                Goodness.parse(a.getString("goodness")), a.getFloat("threshold"),
                PredictionRule.parse(a.getString("prediction_rule")), a.getInt("first_counted_block"));
    }
}
