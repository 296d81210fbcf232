package dev.propel.train.ff;

import dev.propel.kernel.Kernels;
import dev.propel.spi.Parameter;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The linear softmax classifier of the paper's second prediction rule: logits {@code z = x·W + b}
 * from the concatenated, normalised activities x of the counted blocks in a neutral-label pass.
 * Trained with softmax cross-entropy alongside the stack (Hinton's {@code supweightsfrom}); no
 * gradient flows from it into the stack. Weights start at zero, as in Hinton's code.
 *
 * <p>Gradients for a batch of n rows with one-hot targets t and probabilities {@code p = softmax(z)}:
 * {@code ∂L/∂z = (p − t)/n}, {@code ∂L/∂W = xᵀ·∂L/∂z}, {@code ∂L/∂b = Σ_rows ∂L/∂z}.
 */
final class SoftmaxHead {
    static final String WEIGHT = "ff_head.weight";
    static final String BIAS = "ff_head.bias";

    private final int inputs;
    private final int classes;
    private final Tensor weight;
    private final Tensor bias;
    private Tensor weightGrad;
    private Tensor biasGrad;

    SoftmaxHead(int inputs, int classes) {
        this(Tensor.zeros(inputs, classes), Tensor.zeros(classes));
    }

    SoftmaxHead(Tensor weight, Tensor bias) {
        if (weight.shape().rank() != 2 || bias.shape().rank() != 1 || bias.size() != weight.shape().dim(1)) {
            throw new PropelException("softmax head: weight must be [inputs, classes] and bias [classes], got "
                    + weight.shape() + " and " + bias.shape());
        }
        this.weight = weight;
        this.bias = bias;
        this.inputs = weight.shape().dim(0);
        this.classes = weight.shape().dim(1);
    }

    int inputs() {
        return inputs;
    }

    int classes() {
        return classes;
    }

    /** Live parameter tensors by full name. */
    Map<String, Tensor> parameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(WEIGHT, weight);
        m.put(BIAS, bias);
        return m;
    }

    /** The parameters with gradient accumulators, for an optimizer. */
    List<Parameter> trainableParameters() {
        if (weightGrad == null) {
            weightGrad = Tensor.zeros(weight.shape());
            biasGrad = Tensor.zeros(bias.shape());
        }
        return List.of(new Parameter(WEIGHT, weight, weightGrad), new Parameter(BIAS, bias, biasGrad));
    }

    /** {@code out = x·W + b} for {@code rows} rows of {@link #inputs()} values. */
    void logits(Kernels k, float[] x, int rows, float[] out) {
        k.gemm(false, false, rows, classes, inputs, 1f, x, 0, inputs, weight.data(), 0, classes, 0f, out, 0, classes);
        k.addRowVector(out, rows, classes, bias.data());
    }

    /**
     * From logits already computed for {@code x}: the cross-entropy summed over the rows and divided by
     * {@code batchRows} (the rows of the whole batch they are part of: the mean when they are the whole
     * batch), with the parameter gradients written into the accumulators of {@link #trainableParameters()}.
     * {@code probs} and {@code rowScratch} are scratch ({@code rows × classes} and {@code rows}).
     */
    float lossAndGradients(Kernels k, float[] x, int rows, int batchRows, float[] logits, int[] labels, float[] probs,
                           float[] rowScratch) {
        trainableParameters();
        float loss = crossEntropy(k, logits, rows, batchRows, classes, labels, rowScratch);
        k.softmaxRows(logits, probs, rows, classes);
        for (int r = 0; r < rows; r++) probs[r * classes + labels[r]] -= 1f;   // p − t
        k.scale(1f / batchRows, probs, probs, rows * classes);                  // ∂L/∂z
        k.gemm(true, false, inputs, classes, rows, 1f, x, 0, inputs, probs, 0, classes, 0f, weightGrad.data(), 0, classes);
        k.sumRows(probs, rows, classes, biasGrad.data(), false);
        return loss;
    }

    /** Mean over rows of {@code logSumExp(z_r) − z_r[label_r]}. */
    static float crossEntropy(Kernels k, float[] logits, int rows, int classes, int[] labels, float[] rowScratch) {
        return crossEntropy(k, logits, rows, rows, classes, labels, rowScratch);
    }

    /** Sum over rows of {@code logSumExp(z_r) − z_r[label_r]}, divided by {@code divisor}. */
    static float crossEntropy(Kernels k, float[] logits, int rows, int divisor, int classes, int[] labels, float[] rowScratch) {
        k.logSumExpRows(logits, rowScratch, rows, classes);
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += rowScratch[r] - logits[r * classes + labels[r]];
        return (float) (sum / divisor);
    }
}
