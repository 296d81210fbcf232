package dev.propel.cli;

import dev.propel.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * The numbers of traced training steps: per step and per Propel layer what went in and came out, the
 * gradients at both ends and of the parameters; after each update the parameters and the optimizer's state.
 * All tensors are copies, {@code [batch, ...]} for the activations and their gradients.
 */
record Trace(String optimizer, String loss, Map<String, Tensor> initialParameters, List<Step> steps) {

    /**
     * One layer in one step: {@code gradOutput} is ∂L/∂output, {@code gradInput} ∂L/∂input (null for the first
     * layer, whose input gradient the trainer does not compute), {@code gradients} by local parameter name;
     * {@code fusedActivation} when the layer applies an activation inside, hiding its pre-activation.
     */
    record LayerStep(String name, String type, List<String> parameterNames, boolean fusedActivation, Tensor input, Tensor output, Tensor gradOutput,
                     Tensor gradInput, Map<String, Tensor> gradients) {
        boolean hasParameters() {
            return !parameterNames.isEmpty();
        }
    }

    /** One update: {@code parametersAfter} by full name, {@code optimizerState} as {@code Optimizer.state()} names it. */
    record Step(int number, int batchSize, float learningRate, float loss, List<LayerStep> layers,
                Map<String, Tensor> parametersAfter, Map<String, Tensor> optimizerState) {
        Tensor outputs() {
            return layers.getLast().output();
        }
    }

    /** The parameters before step {@code s} (1-based): the initial ones, or those after the previous step. */
    Map<String, Tensor> parametersBefore(int s) {
        return s == 1 ? initialParameters : steps.get(s - 2).parametersAfter();
    }
}
