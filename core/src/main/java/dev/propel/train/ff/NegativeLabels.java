package dev.propel.train.ff;

import dev.propel.spi.PropelException;

import java.util.Locale;

/** How the wrong label of a negative example is chosen. */
public enum NegativeLabels {
    /** Uniformly among the {@code classes − 1} wrong labels. */
    RANDOM,
    /**
     * Hard negatives, as in Hinton's {@code ffnew.m}: a neutral-label pass through the stack feeds a
     * softmax classifier (trained alongside), and the wrong label is sampled from its predicted
     * distribution with the true class suppressed — so labels the model confuses with the true one
     * come up most often.
     */
    HARD;

    /** The name used on the command line and in files: {@code "random"} or {@code "hard"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The choice named {@code text} (case and surrounding spaces ignored); throws {@link PropelException} listing the
     * names otherwise.
     */
    public static NegativeLabels parse(String text) {
        for (NegativeLabels n : values()) {
            if (n.id().equalsIgnoreCase(text.trim())) return n;
        }
        throw new PropelException("unknown negative-label choice '" + text
                + "'; use 'random' (uniform among the wrong labels) or 'hard' (sampled from the model's own mistakes)");
    }
}
