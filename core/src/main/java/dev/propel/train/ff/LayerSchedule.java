package dev.propel.train.ff;

import dev.propel.spi.PropelException;

import java.util.Locale;

/** In which order the layers of a Forward-Forward stack are trained. */
public enum LayerSchedule {
    /** Every layer takes a step on every mini-batch (as in the paper). {@code epochs} epochs in all. */
    SIMULTANEOUS,
    /**
     * Greedily, layer by layer: layer 1 for {@code epochs} epochs, then layer 2 (on the frozen layer
     * 1's outputs) for {@code epochs} epochs, and so on; {@code layers × epochs} epochs in all.
     */
    GREEDY;

    /** The name used on the command line and in files: {@code "simultaneous"} or {@code "greedy"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The schedule named {@code text} (case and surrounding spaces ignored); throws {@link PropelException} listing
     * the names otherwise.
     */
    public static LayerSchedule parse(String text) {
        for (LayerSchedule s : values()) {
            if (s.id().equalsIgnoreCase(text.trim())) return s;
        }
        throw new PropelException("unknown Forward-Forward layer schedule '" + text
                + "'; use 'simultaneous' (all layers every batch, as in the paper) or 'greedy' (one layer after the other)");
    }
}
