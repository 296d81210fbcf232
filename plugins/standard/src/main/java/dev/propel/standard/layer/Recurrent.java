package dev.propel.standard.layer;

import dev.propel.kernel.BinaryOp;
import dev.propel.kernel.Kernels;
import dev.propel.kernel.RangeTask;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.AttributeException;
import dev.propel.spi.MultiInputLayer;
import dev.propel.spi.LayerContext;
import dev.propel.spi.LayerSetup;
import dev.propel.standard.kernel.RecurrentKernels;
import dev.propel.tensor.Shape;
import dev.propel.tensor.ShapeException;
import dev.propel.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The recurrent layers {@code rnn}, {@code lstm} and {@code gru}, as PyTorch's {@code nn.RNN/LSTM/GRU}
 * with {@code batch_first=True} and a zero initial state, trained by backpropagation through time.
 *
 * <p>Input per sample {@code [T, F]} (T time steps of F features). Output: the last step's hidden state
 * {@code [D·H]} or, with {@code return_sequences}, every step's {@code [T, D·H]}, where D = 2 for a
 * bidirectional layer (forward and backward directions concatenated, forward first; the backward
 * direction's "last step" is its final state, at t = 0, as PyTorch's {@code h_n}).
 *
 * <p>Parameters, named and laid out exactly as PyTorch's {@code state_dict} so that one loads by name:
 * for each stacked layer k and direction (suffix {@code _reverse} for the backward one),
 * {@code weight_ih_lk [G·H, F_k]}, {@code weight_hh_lk [G·H, H]}, {@code bias_ih_lk [G·H]},
 * {@code bias_hh_lk [G·H]} (the biases when {@code bias} is true), with G gate blocks stacked in
 * PyTorch's order: 1 for rnn; i, f, g, o for lstm; r, z, n for gru. F_0 is the input's F, F_k = D·H
 * above. Initial values U(−1/√H, 1/√H), as PyTorch.
 *
 * <p>Per layer and direction, each forward step of rnn and lstm is one GEMM {@code [x_t | h_prev | 1]·[W_ih | W_hh |
 * b_ih + b_hh]ᵀ} that gives the whole pre-activation, followed by one fused cell kernel ({@link RecurrentKernels});
 * the rows {@code [x_t | h_prev | 1]} it gathers stay for the weight gradients. gru, whose n gate needs the two
 * projections apart, makes one GEMM for the input projection of all T steps ({@code X·W_ihᵀ + b_ih},
 * {@code [batch·T, G·H]}) and one per step for {@code h_prev·W_hhᵀ}. Backward runs the steps in reverse: the
 * cell's backward kernel gives the pre-activation gradients da of the step, one GEMM carries them to h_prev and
 * one to the step's input. Every few steps (512 rows of da) one GEMM {@code [x_t | h_prev | 1]ᵀ·da_chunk} adds to
 * {@code ∂W_ih}, {@code ∂W_hh} and the bias gradients together while those rows are still in cache (gru takes its
 * {@code ∂W_hh} per step from the hidden part of its gradients, which differ from da in the n gate). The kernel
 * threads each take a range of samples through all the forward steps, or a chunk of backward steps, with no
 * hand-over between steps. Every buffer comes from the layer context and is reused, so a training step in steady
 * state allocates nothing.
 *
 * <p><b>Variable lengths.</b> An optional second input {@code [1]} per sample holds each sequence's length
 * L (1 ≤ L ≤ T, e.g. from a {@code sequence_lengths} layer), with PyTorch's {@code pack_padded_sequence}
 * semantics: only the first L steps of a sample are processed; its output at steps ≥ L is zero; the
 * last-step output is the forward direction's state at step L − 1, and the backward direction starts at
 * step L − 1 from the zero state. Padded steps add nothing to any gradient. The layer still runs every step
 * for the whole batch (one GEMM per step) and zeroes what belongs to padding: the outputs (and LSTM cell
 * states) of padded steps after each step, their pre-activation gradients after each backward step.
 *
 * <p><b>Truncated BPTT.</b> With {@code bptt_steps} K > 0 the forward pass runs over the whole sequence
 * with the state carried forward, and backward splits the steps into chunks of K from the start
 * ([0, K), [K, 2K), …): no gradient flows through the recurrent state (h, and c for an LSTM) from the
 * first step of a chunk into the chunk before, while {@code W_hh}'s gradient at that step still sees
 * h_prev as a constant. This is PyTorch's "detach the hidden state every K steps" with one update per
 * batch (Williams and Peng's BPTT(K, K) without the intermediate updates). Unidirectional layers only.
 */
public final class Recurrent implements MultiInputLayer {
    private final String type;
    private final String describe;
    private final String name;
    private final Attributes attributes;
    private final RecurrentCell cell;
    private final RecurrentKernels cells;
    private final Shape inputShape;
    private final List<Shape> inputShapes;
    private final boolean hasLengths;
    private final boolean hasBias;
    private final int bpttSteps;
    private final Shape outputShape;
    private final int steps;
    private final int features;
    private final int hidden;
    private final int layers;
    private final int directions;
    private final boolean returnSequences;
    private final int gateRows;
    /** [layer][direction] */
    private final Tensor[][] weightIh;
    private final Tensor[][] weightHh;
    private final Tensor[][] biasIh;
    private final Tensor[][] biasHh;
    private final String[][] weightIhName;
    private final String[][] weightHhName;
    private final String[][] biasIhName;
    private final String[][] biasHhName;
    private final String[][] gatesKey;
    private final String[][] stateKey;
    private final String[] sequenceKey;
    private final String[] gradSequenceKey;
    private final String[][] weightInputsKey;
    private final String[] weightSumKey;
    private final String[] stepWeightsKey;
    private final String[] packedStepWeightsKey;
    private final String[] packedInputWeightsKey;
    /** The shapes of the packed weights ({@link #packed}), three per layer, kept so that a pass allocates none. */
    private final Shape[] packedShapes;
    private final Map<String, Tensor> parameters;
    private volatile Shapes shapes;
    private final PassObjects<DirectionPass> passes = new PassObjects<>(DirectionPass::new);
    /** Rows of da (batch × steps) per weight-gradient product in the backward pass: about 1 MiB of da at G·H = 512. */
    private static final int WEIGHT_CHUNK_ROWS = 512;

    Recurrent(String type, RecurrentCell cell, LayerSetup setup, RecurrentKernels cells) {
        this.type = type;
        this.describe = setup.describe(type);
        this.name = setup.name();
        this.attributes = setup.attributes();
        this.cell = cell;
        this.cells = cells;
        this.inputShape = setup.inputShape();
        this.inputShapes = List.copyOf(setup.inputShapes());
        this.hasLengths = inputShapes.size() == 2;
        if (hasLengths && !inputShapes.get(1).equals(Shape.of(1))) {
            throw new ShapeException(describe + ": the second input holds each sequence's length and must be [1] per sample, but is "
                    + inputShapes.get(1) + " (next to the sequence " + inputShape + "); feed it from a sequence_lengths layer");
        }
        if (inputShape.rank() != 2) {
            throw new ShapeException(describe + ": expected a per-sample sequence [time_steps, features] but got "
                    + inputShape + "; declare the input as [T, F] with T·F = " + inputShape.size()
                    + " (e.g. [28, 28] reads a Fashion-MNIST image as 28 rows of 28 pixels), or reshape to it first");
        }
        this.steps = inputShape.dim(0);
        this.features = inputShape.dim(1);
        if (steps < 1 || features < 1) {
            throw new ShapeException(describe + ": the input " + inputShape + " has " + steps + " time steps and "
                    + features + " features; a sequence needs at least one step of at least one feature");
        }
        this.hidden = attributes.getInt("hidden_size");
        this.layers = attributes.getInt("num_layers");
        this.directions = attributes.getBool("bidirectional") ? 2 : 1;
        this.returnSequences = attributes.getBool("return_sequences");
        this.bpttSteps = attributes.getInt("bptt_steps");
        if (bpttSteps > 0 && directions == 2) {
            throw new AttributeException(describe + ": bptt_steps " + bpttSteps + " truncates the gradient along the time order, "
                    + "which a bidirectional layer does not have; set bptt_steps to 0 (full BPTT) or bidirectional to false");
        }
        this.gateRows = cell.gates * hidden;
        int width = directions * hidden;
        this.outputShape = returnSequences ? Shape.of(steps, width) : Shape.of(width);

        boolean bias = attributes.getBool("bias");
        this.hasBias = bias;
        weightIh = new Tensor[layers][directions];
        weightHh = new Tensor[layers][directions];
        biasIh = new Tensor[layers][directions];
        biasHh = new Tensor[layers][directions];
        weightIhName = new String[layers][directions];
        weightHhName = new String[layers][directions];
        biasIhName = new String[layers][directions];
        biasHhName = new String[layers][directions];
        gatesKey = new String[layers][directions];
        stateKey = new String[layers][directions];
        sequenceKey = new String[layers];
        gradSequenceKey = new String[layers];
        weightInputsKey = new String[layers][directions];
        weightSumKey = new String[layers];
        stepWeightsKey = new String[layers];
        packedStepWeightsKey = new String[layers];
        packedInputWeightsKey = new String[layers];
        packedShapes = new Shape[3 * layers];
        Map<String, Tensor> p = new LinkedHashMap<>();
        RandomGenerator random = setup.random();
        double bound = 1.0 / Math.sqrt(hidden);
        for (int l = 0; l < layers; l++) {
            sequenceKey[l] = "sequence_l" + l;
            gradSequenceKey[l] = "gradSequence_l" + l;
            weightSumKey[l] = "weightSum_l" + l;
            stepWeightsKey[l] = "stepWeights_l" + l;
            packedStepWeightsKey[l] = "packedStepWeights_l" + l;
            packedInputWeightsKey[l] = "packedInputWeights_l" + l;
            int in = l == 0 ? features : width;
            for (int d = 0; d < directions; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                gatesKey[l][d] = "gates" + suffix;
                weightInputsKey[l][d] = "weightInputs" + suffix;
                stateKey[l][d] = "state" + suffix;
                weightIhName[l][d] = "weight_ih" + suffix;
                weightHhName[l][d] = "weight_hh" + suffix;
                weightIh[l][d] = uniform(p, weightIhName[l][d], random, bound, gateRows, in);
                weightHh[l][d] = uniform(p, weightHhName[l][d], random, bound, gateRows, hidden);
                if (bias) {
                    biasIhName[l][d] = "bias_ih" + suffix;
                    biasHhName[l][d] = "bias_hh" + suffix;
                    biasIh[l][d] = uniform(p, biasIhName[l][d], random, bound, gateRows);
                    biasHh[l][d] = uniform(p, biasHhName[l][d], random, bound, gateRows);
                }
            }
        }
        this.parameters = Collections.unmodifiableMap(p);
        RecurrentMemory.requireFits(describe, steps, features, hidden, layers, directions, cell.gates);
    }

    // Drawing random numbers is not arithmetic on tensors, so this loop lives here, not in Kernels.
    private static Tensor uniform(Map<String, Tensor> params, String name, RandomGenerator random, double bound, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] x = t.data();
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-bound, bound);
        params.put(name, t);
        return t;
    }

    /** The buffer shapes for one batch size, remembered so that a step in steady state allocates none. */
    private record Shapes(int batch, Shape rowsByGates, Shape sequence, Shape gates, Shape state, Shape stepByHidden,
                          Shape stepByGates, Shape output, Shape input, Shape zeroRow, Shape batchRow,
                          Shape[] weightInputs, Shape[] weightSum, Shape[] rowsByWeightInputs) {
    }

    private Shapes shapes(int batch) {
        Shapes s = shapes;
        if (s == null || s.batch != batch) {
            RecurrentMemory.requireBatchFits(describe, batch, steps, features, hidden, layers, directions, cell.gates);
            int width = directions * hidden;
            s = new Shapes(batch, Shape.of(batch * steps, gateRows), Shape.of(batch, steps, width),
                    Shape.of(steps, batch, gateRows), Shape.of(steps, batch, hidden), Shape.of(batch, hidden),
                    Shape.of(batch, gateRows), outputShape.withBatch(batch), inputShape.withBatch(batch),
                    Shape.of(Math.max(gateRows, width)), Shape.of(batch), new Shape[layers], new Shape[layers], new Shape[layers]);
            for (int l = 0; l < layers; l++) {
                int zw = weightInputsWidth(l == 0 ? features : width);
                s.weightInputs[l] = Shape.of(batch * steps, zw);
                s.weightSum[l] = Shape.of(zw, gateRows);
                s.rowsByWeightInputs[l] = Shape.of(gateRows, zw);
            }
            shapes = s;
        }
        return s;
    }

    @Override
    public String typeId() {
        return type;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public Shape inputShape() {
        return inputShape;
    }

    @Override
    public List<Shape> inputShapes() {
        return inputShapes;
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    @Override
    public Tensor forward(List<Tensor> inputs, LayerContext ctx) {
        Tensor input = inputs.getFirst();
        LayerInputs.requireBatchOf(describe, inputShape, input);
        Tensor x = input.isDense() ? input : input.contiguous();
        int batch = x.rows();
        Tensor lengths = hasLengths ? lengths(inputs.get(1), batch) : null;
        Shapes s = shapes(batch);
        Kernels k = ctx.kernels();
        int width = directions * hidden;
        float[] in = x.data();
        int inOff = x.offset();
        Tensor seq = null;
        for (int l = 0; l < layers; l++) {
            seq = ctx.buffer(sequenceKey[l], s.sequence);
            for (int d = 0; d < directions; d++) {
                forwardDirection(k, ctx, s, l, d, in, inOff, l == 0 ? features : width, seq.data(), lengths);
            }
            in = seq.data();
            inOff = 0;
        }
        if (ctx.training()) {
            ctx.save("input", x);
            if (lengths != null) ctx.save("lengths", lengths);
        }
        if (returnSequences) return seq;
        Tensor out = ctx.buffer("output", s.output);
        // Each direction's final state: step T−1 (or L−1) going forward, step 0 going backward.
        if (lengths == null) {
            k.copyRows(seq.data(), (steps - 1) * width, steps * width, out.data(), 0, width, batch, hidden);
        } else {
            for (int b = 0; b < batch; b++) {
                k.copy(seq.data(), b * steps * width + (length(lengths, b) - 1) * width, out.data(), b * width, hidden);
            }
        }
        if (directions == 2) k.copyRows(seq.data(), hidden, steps * width, out.data(), hidden, width, batch, hidden);
        return out;
    }

    /** The lengths input, checked: one integer in [1, T] per sample. */
    private Tensor lengths(Tensor lengths, int batch) {
        Tensor l = lengths.isDense() ? lengths : lengths.contiguous();
        if (l.rows() != batch || l.size() != batch) {
            throw new ShapeException(describe + ": expected one length per sample ([" + batch + ", 1]) but got " + l.shape());
        }
        // Checks only; the values stay floats and are read where used, so nothing is allocated per step.
        TokenIndices.read(describe, "length", l, batch, 1, 1, steps, null);
        return l;
    }

    private static int length(Tensor lengths, int b) {
        return (int) lengths.data()[lengths.offset() + b];
    }

    /** Zeroes {@code n} values of sample b at step t, for every sample b in [from, to) whose sequence ends before t. */
    private static void zeroPadded(Kernels k, Tensor lengths, int t, int from, int to, float[] zeros, float[] x, int off, int stride,
                                   int n) {
        for (int b = from; b < to; b++) if (t >= length(lengths, b)) k.copy(zeros, 0, x, off + b * stride, n);
    }

    /** Zeroes {@code n} values at {@code off + b·stride} for the samples b in [from, to). */
    private static void zeroRows(Kernels k, int from, int to, float[] zeros, float[] x, int off, int stride, int n) {
        for (int b = from; b < to; b++) k.copy(zeros, 0, x, off + b * stride, n);
    }

    private void forwardDirection(Kernels k, LayerContext ctx, Shapes s, int l, int d, float[] in, int inOff, int inWidth,
                                  float[] y, Tensor lengths) {
        int batch = s.batch;
        float[] hp = ctx.buffer("recurrentProjection", s.stepByGates).data();
        DirectionPass pass = passes.acquire();
        int zw = weightInputsWidth(inWidth);
        float[] z = ctx.buffer(weightInputsKey[l][d], s.weightInputs[l]).data();
        float[] ones = ones(k, ctx, s);
        if (cell == RecurrentCell.GRU) {
            // gru's n gate needs the two projections apart: the input's for all steps at once, the state's per step.
            float[] xp = ctx.buffer("inputProjection", s.rowsByGates).data();
            k.gemm(false, true, batch * steps, gateRows, inWidth, 1f, in, inOff, inWidth, weightIh[l][d].data(), 0, inWidth, 0f,
                    xp, 0, gateRows);
            if (biasIh[l][d] != null) k.addRowVector(xp, batch * steps, gateRows, biasIh[l][d].data());
            // The first step's recurrent product is that of the zero state; the later steps overwrite their own rows.
            k.fill(hp, batch * gateRows, 0f);
            float[] packedWhh = packed(k, ctx, 3 * l, packedStepWeightsKey[l], hidden, gateRows);
            k.packRight(true, hidden, gateRows, weightHh[l][d].data(), 0, hidden, packedWhh);
            pass.forwardPass(k, d, xp, hp, packedWhh, biasHh[l][d] == null ? null : biasHh[l][d].data(),
                    y, gatesOrNull(ctx, s, l, d), statesOrNull(ctx, s, l, d), lengths, zeros(k, ctx, s), batch, in, inOff, inWidth,
                    z, zw, ones);
        } else {
            float[] packedW = packed(k, ctx, 3 * l, packedStepWeightsKey[l], zw, gateRows);
            k.packRight(false, zw, gateRows, stepWeights(k, ctx, s, l, d, inWidth, zw), 0, gateRows, packedW);
            pass.forwardPass(k, d, null, hp, packedW, null, y, gatesOrNull(ctx, s, l, d),
                    statesOrNull(ctx, s, l, d), lengths, zeros(k, ctx, s), batch, in, inOff, inWidth, z, zw, ones);
        }
        // Not returned if a step throws: the next pass then makes another (see PassObjects).
        PassObjects.split(k, batch, (long) batch * steps * gateRows * (hidden + inWidth), pass.forwardRows);
        pass.clear();
        passes.release(pass);
    }

    /**
     * The weights of rnn's and lstm's whole step, {@code [W_ih | W_hh | b_ih + b_hh]ᵀ} ({@code [F | H | 1, G·H]}, the bias
     * row when there are biases), built once per pass: the step's product {@code [x_t | h_prev | 1]·[…]ᵀ} then gives the
     * whole pre-activation, with no input projection of all steps to write and read back, and its left operand is the
     * weight-gradient input that the backward pass needs anyway.
     */
    private float[] stepWeights(Kernels k, LayerContext ctx, Shapes s, int l, int d, int inWidth, int zw) {
        float[] w = ctx.buffer(stepWeightsKey[l], s.weightSum[l]).data();
        float[] wih = weightIh[l][d].data(), whh = weightHh[l][d].data();
        for (int c = 0; c < inWidth; c++) k.copyRows(wih, c, inWidth, w, c * gateRows, 1, gateRows, 1);
        for (int c = 0; c < hidden; c++) k.copyRows(whh, c, hidden, w, (inWidth + c) * gateRows, 1, gateRows, 1);
        if (hasBias) k.binary(BinaryOp.ADD, biasIh[l][d].data(), 0, biasHh[l][d].data(), 0, w, (zw - 1) * gateRows, gateRows);
        return w;
    }

    /** A column of ones, one per sample, for the bias column of the weight-gradient inputs; null without biases. */
    private float[] ones(Kernels k, LayerContext ctx, Shapes s) {
        if (!hasBias) return null;
        float[] ones = ctx.buffer("ones", s.batchRow).data();
        k.fill(ones, s.batch, 1f);
        return ones;
    }

    /**
     * The buffer for a right operand op(B) of {@code rows × cols} packed once per pass ({@link Kernels#packRight}): the
     * step products then read the weights as the matrix kernel's panels, which it would otherwise pack again at every
     * step and on every thread. Slots 3l, 3l + 1, 3l + 2: layer l's step weights, W_hh and W_ih of the backward pass.
     */
    private float[] packed(Kernels k, LayerContext ctx, int slot, String key, int rows, int cols) {
        int size = k.packedRightSize(rows, cols);
        Shape shape = packedShapes[slot];
        if (shape == null || shape.size() != size) {
            shape = Shape.of(size);
            packedShapes[slot] = shape;
        }
        return ctx.buffer(key, shape).data();
    }

    /** The activated gates kept for the backward pass ({@code [T, batch, G·H]}), for lstm and gru. */
    private float[] gatesOrNull(LayerContext ctx, Shapes s, int l, int d) {
        return cell == RecurrentCell.LSTM || cell == RecurrentCell.GRU ? ctx.buffer(gatesKey[l][d], s.gates).data() : null;
    }

    /** The cell states (lstm) or h_prev·W_hn + b_hn (gru) kept for the backward pass ({@code [T, batch, H]}). */
    private float[] statesOrNull(LayerContext ctx, Shapes s, int l, int d) {
        return cell == RecurrentCell.LSTM || cell == RecurrentCell.GRU ? ctx.buffer(stateKey[l][d], s.state).data() : null;
    }

    /** A row of zeros as long as the longest row the padding code clears (filled here: a context owns its buffers' contents). */
    private float[] zeros(Kernels k, LayerContext ctx, Shapes s) {
        Tensor z = ctx.buffer("zeros", s.zeroRow);
        k.fill(z.data(), z.size(), 0f);
        return z.data();
    }

    @Override
    public List<Tensor> backwardInputs(Tensor gradOutput, LayerContext ctx) {
        Tensor x = ctx.saved("input");
        int batch = x.rows();
        Shapes s = shapes(batch);
        LayerInputs.requireGradientSize(describe, s.output.size(), gradOutput, s.output);
        Tensor dy = gradOutput.isDense() ? gradOutput : gradOutput.contiguous();
        Kernels k = ctx.kernels();
        int width = directions * hidden;
        Tensor lengths = hasLengths ? ctx.saved("lengths") : null;
        boolean lastOnly = !returnSequences;
        if (lastOnly && lengths != null) {
            // The final states sit at step L−1 (forward) and 0 (backward): spread ∂L/∂(final states) over a sequence.
            Tensor spread = ctx.buffer("gradFinalStates", s.sequence);
            k.fill(spread.data(), spread.size(), 0f);
            for (int b = 0; b < batch; b++) {
                k.copy(dy.data(), dy.offset() + b * width, spread.data(), b * steps * width + (length(lengths, b) - 1) * width, hidden);
            }
            if (directions == 2) k.copyRows(dy.data(), dy.offset() + hidden, width, spread.data(), hidden, steps * width, batch, hidden);
            dy = spread;
            lastOnly = false;
        }
        Tensor dx = null;
        for (int l = layers - 1; l >= 0; l--) {
            boolean top = l == layers - 1;
            float[] dSeq = top ? dy.data() : ctx.buffer(gradSequenceKey[l], s.sequence).data();
            int dSeqOff = top ? dy.offset() : 0;
            float[] in = l == 0 ? x.data() : ctx.buffer(sequenceKey[l - 1], s.sequence).data();
            int inOff = l == 0 ? x.offset() : 0;
            int inWidth = l == 0 ? features : width;
            float[] dIn = null;
            if (l > 0) {
                dIn = ctx.buffer(gradSequenceKey[l - 1], s.sequence).data();
            } else if (ctx.needsInputGradient(0)) {
                dx = ctx.buffer("gradInput", s.input);
                dIn = dx.data();
            }
            float[] y = ctx.buffer(sequenceKey[l], s.sequence).data();
            for (int d = 0; d < directions; d++) {
                backwardDirection(k, ctx, s, l, d, top && lastOnly, dSeq, dSeqOff, y, in, inOff, inWidth, dIn, lengths);
            }
        }
        if (!hasLengths) return Collections.singletonList(dx);
        Tensor dLengths = null;
        if (ctx.needsInputGradient(1)) {
            // The output is piecewise constant in the lengths.
            dLengths = ctx.buffer("gradLengths", Shape.of(batch, 1));
            k.fill(dLengths.data(), batch, 0f);
        }
        return Arrays.asList(dx, dLengths);
    }

    /**
     * BPTT for one layer and direction. {@code dSeq} is ∂L/∂(the layer's output sequence), or, when
     * {@code lastOnly}, ∂L/∂(the final states) {@code [batch, D·H]} that reaches only the direction's
     * last step. Adds ∂L/∂(the layer's input) to {@code dIn} (the first direction overwrites it).
     *
     * <p>The steps run in chunks (see {@link DirectionPass#backward}); after each chunk come the products that sum
     * over the samples: the weight gradients {@code Σ_t [x_t | h_prev(t) | 1]ᵀ·da_t}, taken a few steps at a time
     * as one product over those steps' rows while they are still in cache (da is time-major, {@code [T, batch, G·H]},
     * for that), and gru's per-step {@code ∂W_hh}, {@code ∂b_hh} from its hidden-side gradients.
     */
    private void backwardDirection(Kernels k, LayerContext ctx, Shapes s, int l, int d, boolean lastOnly, float[] dSeq,
                                   int dSeqOff, float[] y, float[] in, int inOff, int inWidth, float[] dIn, Tensor lengths) {
        int batch = s.batch, width = directions * hidden, seqStride = steps * width;
        int stepState = batch * hidden, stepGates = batch * gateRows;
        float[] gWhh = ctx.gradient(weightHhName[l][d]).data();
        float[] gBhh = biasHh[l][d] == null ? null : ctx.gradient(biasHhName[l][d]).data();
        float[] da = ctx.buffer("gradPreActivation", s.rowsByGates).data();
        float[] dhRec = ctx.buffer("gradHidden", s.stepByHidden).data();
        float[] dhOther = ctx.buffer("gradHiddenPrev", s.stepByHidden).data();
        float[] dc = ctx.buffer("gradCell", s.stepByHidden).data();
        float[] daHidden = ctx.buffer("gradHiddenPreActivation", s.stepByGates).data();
        k.fill(dhRec, stepState, 0f);
        if (cell == RecurrentCell.LSTM) k.fill(dc, stepState, 0f);
        int zw = weightInputsWidth(inWidth);
        float[] z = ctx.buffer(weightInputsKey[l][d], s.weightInputs[l]).data();
        float[] ones = ones(k, ctx, s);
        float[] weightSum = ctx.buffer(weightSumKey[l], s.weightSum[l]).data();
        DirectionPass pass = passes.acquire();
        float[] packedWhh = packed(k, ctx, 3 * l + 1, "packedRecurrentWeights", gateRows, hidden);
        k.packRight(false, gateRows, hidden, weightHh[l][d].data(), 0, hidden, packedWhh);
        float[] packedWih = null;
        if (dIn != null) {
            packedWih = packed(k, ctx, 3 * l + 2, packedInputWeightsKey[l], gateRows, inWidth);
            k.packRight(false, gateRows, inWidth, weightIh[l][d].data(), 0, inWidth, packedWih);
        }
        pass.backwardPass(k, d, lastOnly, dSeq, dSeqOff, y, gatesOrNull(ctx, s, l, d), statesOrNull(ctx, s, l, d), lengths,
                zeros(k, ctx, s), batch, da, dhRec, dhOther, dc, daHidden, packedWhh, packedWih, dIn, in, inOff, inWidth, z, zw,
                ones);
        int chunkSteps = Math.max(1, WEIGHT_CHUNK_ROWS / batch);
        // gru sums its hidden-side gradients over the samples at every step, so its chunks of steps are single steps.
        int runSteps = cell == RecurrentCell.GRU ? 1 : chunkSteps;
        long work = (long) batch * runSteps * gateRows * (hidden + inWidth);
        int pending = 0;
        boolean summed = false;
        for (int last = steps - 1; last >= 0; last -= runSteps) {
            int first = Math.max(0, last - runSteps + 1);
            pass.steps(last, first);
            // Not returned if a step throws: the next pass then makes another (see PassObjects).
            PassObjects.split(k, batch, work, pass.backwardRows);
            for (int i = last; i >= first; i--) {
                int t = d == 0 ? i : steps - 1 - i;
                if (++pending == chunkSteps || i == 0) {
                    // The chunk's steps are t .. t + pending − 1 going forward in time (d = 0 runs backwards in t). The
                    // sum is taken transposed, zᵀ·da ([F | H | 1, G·H]): the product then packs the narrow z across its
                    // rows and copies da's wide rows whole, where da_chunkᵀ·z packed all of da element by element.
                    int from = d == 0 ? t : t - pending + 1;
                    k.gemm(true, false, zw, gateRows, pending * batch, 1f, z, from * batch * zw, zw,
                            da, from * stepGates, gateRows, summed ? 1f : 0f, weightSum, 0, gateRows);
                    summed = true;
                    pending = 0;
                }
                if (cell == RecurrentCell.GRU) {
                    if (gBhh != null) k.sumRows(daHidden, batch, gateRows, gBhh, true);
                    int prevOff = (d == 0 ? t - 1 : t + 1) * width + d * hidden;
                    if (i > 0) k.gemm(true, false, gateRows, hidden, batch, 1f, daHidden, 0, gateRows, y, prevOff, seqStride, 1f, gWhh, 0, hidden);
                }
            }
        }
        pass.clear();
        passes.release(pass);
        addWeightGradients(k, ctx, s, l, d, zw, inWidth, weightSum);
    }

    /**
     * Columns of the weight-gradient inputs: the layer's input, the previous state (but for gru) and, with
     * biases, a column of ones, whose product with da is the bias gradient Σ da.
     */
    private int weightInputsWidth(int inWidth) {
        return inWidth + (cell == RecurrentCell.GRU ? 0 : hidden) + (hasBias ? 1 : 0);
    }

    /**
     * One direction's pass over the time steps, its arrays held in fields so that ranges of samples run on the
     * kernel threads without allocating (see {@link PassObjects}). A sample's rows at every step depend on no other
     * sample's, so a range runs all the forward steps, or a chunk of backward steps, on its own thread with no
     * hand-over between steps, and the products inside run whole on that thread. Every sample's rows are computed
     * alone, in the same operations whatever the range, so the split does not change a bit.
     */
    private final class DirectionPass {
        private Kernels k;
        private int d, batch, dSeqOff, inOff, inWidth, zw, last, first;
        private boolean lastOnly;
        private float[] xp, hp, stepWeights, bhh, y, gates, state, zeros, dSeq, da, dhRec, dhOther, dc, daHidden, whh, wih, dIn, in, z, ones;
        private Tensor lengths;

        final RangeTask forwardRows = this::forward;
        final RangeTask backwardRows = this::backward;

        /**
         * The forward pass's arrays: with {@code xp} (gru) each step multiplies h_prev by {@code stepWeights}, W_hhᵀ
         * packed; without (rnn, lstm) it gathers {@code [x_t | h_prev | 1]} into z and multiplies that by the packed
         * step weights. The backward pass's {@code whh} and {@code wih} are packed too ({@link Kernels#packRight}).
         */
        void forwardPass(Kernels k, int d, float[] xp, float[] hp, float[] stepWeights, float[] bhh, float[] y, float[] gates,
                         float[] state, Tensor lengths, float[] zeros, int batch, float[] in, int inOff, int inWidth, float[] z,
                         int zw, float[] ones) {
            this.k = k;
            this.d = d;
            this.xp = xp;
            this.hp = hp;
            this.stepWeights = stepWeights;
            this.in = in;
            this.inOff = inOff;
            this.inWidth = inWidth;
            this.z = z;
            this.zw = zw;
            this.ones = ones;
            this.bhh = bhh;
            this.y = y;
            this.gates = gates;
            this.state = state;
            this.lengths = lengths;
            this.zeros = zeros;
            this.batch = batch;
        }

        void backwardPass(Kernels k, int d, boolean lastOnly, float[] dSeq, int dSeqOff, float[] y, float[] gates, float[] state,
                          Tensor lengths, float[] zeros, int batch, float[] da, float[] dhRec, float[] dhOther, float[] dc,
                          float[] daHidden, float[] whh, float[] wih, float[] dIn, float[] in, int inOff, int inWidth,
                          float[] z, int zw, float[] ones) {
            forwardPass(k, d, null, null, null, null, y, gates, state, lengths, zeros, batch, in, inOff, inWidth, z, zw, ones);
            this.lastOnly = lastOnly;
            this.dSeq = dSeq;
            this.dSeqOff = dSeqOff;
            this.da = da;
            this.dhRec = dhRec;
            this.dhOther = dhOther;
            this.dc = dc;
            this.daHidden = daHidden;
            this.whh = whh;
            this.wih = wih;
            this.dIn = dIn;
        }

        /** The next chunk of backward steps: i from {@code last} down to {@code first}. */
        void steps(int last, int first) {
            this.last = last;
            this.first = first;
        }

        /** Drops the references to the model's arrays before the object waits for the next pass. */
        void clear() {
            k = null;
            lengths = null;
            xp = hp = stepWeights = bhh = y = gates = state = zeros = dSeq = da = dhRec = dhOther = dc = daHidden = whh = wih = dIn = in = z
                    = ones = null;
        }

        /** Every forward step for the samples [from, to): the recurrent product of their rows, then the cell. */
        private void forward(int from, int to) {
            if (from >= to) return;
            int width = directions * hidden, seqStride = steps * width;
            int stepState = batch * hidden, stepGates = batch * gateRows;
            for (int i = 0; i < steps; i++) {
                int t = d == 0 ? i : steps - 1 - i;
                int prev = d == 0 ? t - 1 : t + 1;
                int hOff = t * width + d * hidden;
                int prevOff = prev * width + d * hidden;
                boolean start = i == 0;
                if (xp == null) {
                    gatherWeightInputs(t, prevOff, start, from, to);
                    k.gemmPackedRight(false, to - from, gateRows, zw, 1f, z, (t * batch + from) * zw, zw, stepWeights, 0f, hp,
                            from * gateRows, gateRows);
                } else if (!start) {
                    k.gemmPackedRight(false, to - from, gateRows, hidden, 1f, y, prevOff + from * seqStride, seqStride, stepWeights,
                            0f, hp, from * gateRows, gateRows);
                }
                switch (cell) {
                    case RNN_TANH, RNN_RELU -> cells.rnnCell(cell == RecurrentCell.RNN_RELU, from, to, hidden, xp, t * gateRows,
                            steps * gateRows, hp, bhh, y, hOff, seqStride);
                    case LSTM -> cells.lstmCell(from, to, hidden, xp, t * gateRows, steps * gateRows, hp, bhh, start ? null : state,
                            prev * stepState, gates, t * stepGates, state, t * stepState, y, hOff, seqStride);
                    case GRU -> cells.gruCell(from, to, hidden, xp, t * gateRows, steps * gateRows, hp, bhh, start ? null : y, prevOff,
                            seqStride, gates, t * stepGates, state, t * stepState, y, hOff, seqStride);
                }
                if (lengths != null) {
                    // A padded step outputs zero and hands the zero state on: the backward direction then starts at L−1 from zero.
                    zeroPadded(k, lengths, t, from, to, zeros, y, hOff, seqStride, hidden);
                    if (cell == RecurrentCell.LSTM) zeroPadded(k, lengths, t, from, to, zeros, state, t * stepState, hidden, hidden);
                }
            }
        }

        /**
         * The backward steps i = last … first for the samples [from, to): the cell's backward kernel gives the step's
         * pre-activation gradients da, one product carries them to the step's input and one to h_prev.
         */
        private void backward(int from, int to) {
            if (from >= to) return;
            int width = directions * hidden, seqStride = steps * width;
            int stepState = batch * hidden, stepGates = batch * gateRows, rows = to - from;
            for (int i = last; i >= first; i--) {
                // Truncated BPTT: the first step of a chunk of bptt_steps sends no gradient to the step before.
                boolean cut = bpttSteps > 0 && i % bpttSteps == 0;
                int t = d == 0 ? i : steps - 1 - i;
                int prev = d == 0 ? t - 1 : t + 1;
                int prevOff = prev * width + d * hidden;
                float[] g = dSeq;
                int gOff, gStride;
                if (lastOnly) {
                    if (i != steps - 1) g = null;
                    gOff = dSeqOff + d * hidden;
                    gStride = width;
                } else {
                    gOff = dSeqOff + t * width + d * hidden;
                    gStride = seqStride;
                }
                int daOff = t * stepGates;
                // gru hands ∂L/∂h_prev on in the other buffer: the two swap roles from step to step.
                boolean swapped = ((steps - 1 - i) & 1) == 1;
                float[] dhIn = swapped ? dhOther : dhRec, dhOut = swapped ? dhRec : dhOther;
                switch (cell) {
                    case RNN_TANH, RNN_RELU -> cells.rnnCellBackward(cell == RecurrentCell.RNN_RELU, from, to, hidden, y,
                            t * width + d * hidden, seqStride, g, gOff, gStride, dhRec, da, daOff, gateRows);
                    case LSTM -> cells.lstmCellBackward(from, to, hidden, gates, t * stepGates, i == 0 ? null : state, prev * stepState,
                            state, t * stepState, g, gOff, gStride, dhRec, dc, da, daOff, gateRows);
                    case GRU -> cells.gruCellBackward(from, to, hidden, gates, t * stepGates, state, t * stepState, i == 0 ? null : y,
                            prevOff, seqStride, g, gOff, gStride, dhIn, dhOut, da, daOff, gateRows, daHidden);
                }
                if (lengths != null) {
                    // A padded step's output is the constant zero: nothing flows back through it.
                    zeroPadded(k, lengths, t, from, to, zeros, da, daOff, gateRows, gateRows);
                    if (cell == RecurrentCell.LSTM) zeroPadded(k, lengths, t, from, to, zeros, dc, 0, hidden, hidden);
                    if (cell == RecurrentCell.GRU) {
                        zeroPadded(k, lengths, t, from, to, zeros, daHidden, 0, gateRows, gateRows);
                        zeroPadded(k, lengths, t, from, to, zeros, dhOut, 0, hidden, hidden);
                    }
                }
                if (cut && cell == RecurrentCell.LSTM) zeroRows(k, from, to, zeros, dc, 0, hidden, hidden);
                // rnn and lstm gathered their weight-gradient inputs in the forward pass, for its products.
                if (cell == RecurrentCell.GRU) gatherWeightInputs(t, prevOff, i == 0, from, to);
                if (dIn != null) {
                    k.gemmPackedRight(false, rows, inWidth, gateRows, 1f, da, daOff + from * gateRows, gateRows, wih,
                            d == 0 ? 0f : 1f, dIn, t * inWidth + from * steps * inWidth, steps * inWidth);
                }
                if (i == 0) continue;
                if (cell == RecurrentCell.GRU) {
                    // ∂L/∂h_prev = dh·z (from the kernel) + daHidden·W_hh.
                    if (cut) {
                        zeroRows(k, from, to, zeros, dhOut, 0, hidden, hidden);
                    } else {
                        k.gemmPackedRight(false, rows, hidden, gateRows, 1f, daHidden, from * gateRows, gateRows, whh, 1f,
                                dhOut, from * hidden, hidden);
                    }
                } else if (cut) {
                    zeroRows(k, from, to, zeros, dhRec, 0, hidden, hidden);
                } else {
                    k.gemmPackedRight(false, rows, hidden, gateRows, 1f, da, daOff + from * gateRows, gateRows, whh, 0f,
                            dhRec, from * hidden, hidden);
                }
            }
        }

        /**
         * Step t's rows of the weight-gradient product for the samples [from, to) ({@code [x_t | h_prev(t) | 1]},
         * time-major like {@code da}); the state part (not for gru, whose ∂W_hh is taken per step) is zero at the
         * direction's first step.
         */
        private void gatherWeightInputs(int t, int prevOff, boolean start, int from, int to) {
            int row = t * batch * zw + from * zw, rows = to - from;
            k.copyRows(in, inOff + t * inWidth + from * steps * inWidth, steps * inWidth, z, row, zw, rows, inWidth);
            if (ones != null) k.copyRows(ones, from, 1, z, row + zw - 1, zw, rows, 1);
            if (cell == RecurrentCell.GRU) return;
            if (start) {
                zeroRows(k, 0, rows, zeros, z, row + inWidth, zw, hidden);
            } else {
                int seqStride = steps * directions * hidden;
                k.copyRows(y, prevOff + from * seqStride, seqStride, z, row + inWidth, zw, rows, hidden);
            }
        }
    }

    /**
     * ∂W_ih, ∂W_hh (but for gru) and the bias gradients += the sum the chunks built, transposed
     * ({@code [F | H | 1, G·H]}): column c of each gradient row is row c of the sum. ∂b_ih = ∂b_hh = Σ da, the
     * sum's last row (gru takes ∂b_hh per step from its hidden-side gradients).
     */
    private void addWeightGradients(Kernels k, LayerContext ctx, Shapes s, int l, int d, int zw, int inWidth, float[] sumT) {
        float[] sum = ctx.buffer("weightGradient", s.rowsByWeightInputs[l]).data();
        for (int c = 0; c < zw; c++) k.copyRows(sumT, c * gateRows, 1, sum, c, zw, gateRows, 1);
        float[] gWih = ctx.gradient(weightIhName[l][d]).data();
        float[] gWhh = cell == RecurrentCell.GRU ? null : ctx.gradient(weightHhName[l][d]).data();
        for (int r = 0; r < gateRows; r++) {
            k.binary(BinaryOp.ADD, gWih, r * inWidth, sum, r * zw, gWih, r * inWidth, inWidth);
            if (gWhh != null) k.binary(BinaryOp.ADD, gWhh, r * hidden, sum, r * zw + inWidth, gWhh, r * hidden, hidden);
        }
        if (!hasBias) return;
        int biasRow = (zw - 1) * gateRows;
        float[] gBih = ctx.gradient(biasIhName[l][d]).data();
        k.binary(BinaryOp.ADD, gBih, 0, sumT, biasRow, gBih, 0, gateRows);
        if (cell != RecurrentCell.GRU) {
            float[] gBhh = ctx.gradient(biasHhName[l][d]).data();
            k.binary(BinaryOp.ADD, gBhh, 0, sumT, biasRow, gBhh, 0, gateRows);
        }
    }

    @Override
    public String toString() {
        return describe + " " + inputShape + " -> " + outputShape;
    }

    /** The attributes every recurrent layer has; {@code rnn} adds {@code nonlinearity}. */
    static AttributeSchema.Builder schema() {
        return AttributeSchema.builder()
                .intAttr("hidden_size", null, 1, "size H of the hidden state")
                .intAttr("num_layers", 1, 1, "number of stacked recurrent layers, each reading the sequence of the one below")
                .boolAttr("return_sequences", false, "output every step [T, D·H] instead of the last step's state [D·H]")
                .boolAttr("bidirectional", false, "add a direction that reads the sequence backwards; outputs concatenated (D = 2)")
                .boolAttr("bias", true, "whether to learn the biases bias_ih and bias_hh")
                .intAttr("bptt_steps", 0, 0, "truncated BPTT: the gradient flows back through at most this many steps "
                        + "(chunks of K from the start; 0: the whole sequence)");
    }
}
