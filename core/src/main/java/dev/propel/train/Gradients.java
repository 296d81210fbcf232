package dev.propel.train;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Parameter;

import java.util.List;
import java.util.function.Function;

/** Checks and clipping applied to a step's gradients before the optimizer sees them (backprop and Forward-Forward). */
public final class Gradients {
    private Gradients() {
    }

    /**
     * Throws a {@link TrainingDivergedException} naming the first parameter whose gradient holds a NaN or an
     * infinity, and where it lives ({@code owner}, only called on failure: "layer 'dense_0'").
     */
    public static void requireFinite(List<Parameter> params, Kernels k, int epoch, int batch, Function<Parameter, String> owner) {
        for (int i = 0; i < params.size(); i++) { // indexed: no iterator per step
            Parameter p = params.get(i);
            int bad = k.firstNonFinite(p.gradient().data(), p.gradient().size());
            if (bad >= 0) {
                throw new TrainingDivergedException(epoch, batch, "the gradient of parameter '" + p.name() + "' ("
                        + owner.apply(p) + ")", "element " + bad + " is " + p.gradient().data()[bad]);
            }
        }
    }

    /**
     * Rescales the gradients together so that their global L2 norm is at most {@code maxNorm}:
     * {@code g ← g · maxNorm / (‖g‖ + 1e-6)} when {@code ‖g‖ > maxNorm} (PyTorch's {@code clip_grad_norm_}).
     * Does nothing when {@code maxNorm ≤ 0}.
     */
    public static void clipToNorm(List<Parameter> params, Kernels k, double maxNorm) {
        if (maxNorm <= 0) return;
        double sq = 0;
        for (int i = 0; i < params.size(); i++) sq += k.sumSquares(params.get(i).gradient().data(), params.get(i).gradient().size());
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            float f = (float) (maxNorm / (norm + 1e-6));
            for (int i = 0; i < params.size(); i++) {
                float[] g = params.get(i).gradient().data();
                k.scale(f, g, g, params.get(i).gradient().size());
            }
        }
    }
}
