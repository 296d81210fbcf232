package dev.propel.train.ff;

import dev.propel.spi.PropelException;

import java.util.Locale;

/**
 * How a trained Forward-Forward stack turns an input into a class. A saved FF model records its
 * rule, so a loaded model predicts exactly as it did right after training.
 */
public enum PredictionRule {
    /**
     * For each candidate label: embed it, run the stack, add up the goodness of the counted layers
     * (from the second hidden layer on, by default); pick the label with the largest total. Costs one
     * pass per class. The paper's main rule.
     */
    GOODNESS,
    /**
     * One pass with the neutral label (every label pixel {@code strength/classes}); a softmax
     * classifier trained on the concatenated normalised activities of the counted layers picks the
     * class. One pass instead of one per class; slightly less accurate in the paper.
     */
    SOFTMAX;

    /** {@code "goodness"} or {@code "softmax"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The rule named {@code text} (case and surrounding spaces ignored); throws {@link PropelException} listing the
     * names otherwise.
     */
    public static PredictionRule parse(String text) {
        for (PredictionRule r : values()) {
            if (r.id().equalsIgnoreCase(text.trim())) return r;
        }
        throw new PropelException("unknown Forward-Forward prediction rule '" + text
                + "'; use 'goodness' (one pass per label, sum of goodness) or 'softmax' (one neutral-label pass and a softmax classifier)");
    }
}
