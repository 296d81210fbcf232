package dev.propel.train.ff;

import dev.propel.kernel.Kernels;
import dev.propel.spi.PropelException;

import java.util.Locale;

/**
 * How a Forward-Forward layer measures its goodness from its activities y (one row per example):
 * the {@link #SUM} of squares {@code g = Σ_j y_j²} (Hinton's choice) or their {@link #MEAN}
 * {@code g = (1/width)·Σ_j y_j²}.
 *
 * <p>The threshold θ is always given <em>per unit</em> (default 1) and scaled to the goodness in use:
 * {@code θ_layer = θ·width} for the sum, {@code θ_layer = θ} for the mean. So Hinton's "θ = layer
 * width" is threshold 1 with the sum, and the two scales can never be mixed by accident — mixing them
 * (a sum-of-squares goodness compared with a threshold of 2) is the classic way to ruin FF accuracy.
 */
public enum Goodness {
    /** {@code g = Σ_j y_j²}; the layer threshold is {@code θ·width}. */
    SUM,
    /** {@code g = (1/width)·Σ_j y_j²}; the layer threshold is {@code θ}. */
    MEAN;

    /** The factor s in {@code g = s·Σ_j y_j²}: 1 for the sum, 1/width for the mean. */
    public float scale(int width) {
        return this == SUM ? 1f : 1f / width;
    }

    /** The threshold this goodness is compared with for a layer of {@code width} units. */
    public float layerThreshold(float thresholdPerUnit, int width) {
        return this == SUM ? thresholdPerUnit * width : thresholdPerUnit;
    }

    /** {@code out[r] = s·Σ_c y[r][c]²} for a {@code rows × width} matrix of activities. */
    public void compute(Kernels k, float[] y, int rows, int width, float[] out) {
        k.rowSumSquares(y, rows, width, out);
        if (this == MEAN) k.scale(1f / width, out, out, rows);
    }

    /** The lower-case name used by the CLI and the model formats: {@code "sum"} or {@code "mean"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "sum"} or {@code "mean"}, with an error that lists both. */
    public static Goodness parse(String text) {
        for (Goodness g : values()) {
            if (g.id().equalsIgnoreCase(text.trim())) return g;
        }
        throw new PropelException("unknown goodness '" + text + "'; use 'sum' (Σ y², Hinton's choice) or 'mean' (Σ y² / width)");
    }
}
