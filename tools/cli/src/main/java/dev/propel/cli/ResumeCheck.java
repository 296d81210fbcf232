package dev.propel.cli;

import dev.propel.kernel.Kernels;
import dev.propel.model.LoadedModel;
import dev.propel.model.ModelFormatException;
import dev.propel.tensor.Tensor;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code propel train --resume} checks in a saved model before continuing it, so that a resume is
 * exact or refused: the optimizer state belongs to the model's parameters (state stored under other
 * names would leave the real moments at zero without a word), and no weight or state value is NaN or
 * infinite (a diverged or damaged file, which no learning rate would fix).
 */
final class ResumeCheck {
    private ResumeCheck() {
    }

    static void check(LoadedModel loaded, Map<String, Tensor> optimizerState, Kernels k) {
        String file = loaded.source().toString();
        Map<String, Tensor> parameters = loaded.model().parameters();
        Set<String> unknown = new TreeSet<>();
        Set<String> withState = new TreeSet<>();
        for (String key : optimizerState.keySet()) {
            int slash = key.lastIndexOf('/');
            String parameter = slash < 0 ? key : key.substring(0, slash);
            if (parameters.containsKey(parameter)) withState.add(parameter);
            else unknown.add(key);
        }
        if (!unknown.isEmpty()) {
            throw new ModelFormatException(file + ": the optimizer state has entries " + unknown + " for parameters the model does not "
                    + "have (its parameters: " + parameters.keySet() + "); resuming would start their moments from zero and not "
                    + "continue the run exactly. The file was edited or damaged");
        }
        if (!optimizerState.isEmpty() && withState.size() < parameters.size()) {
            Set<String> missing = new TreeSet<>(parameters.keySet());
            missing.removeAll(withState);
            throw new ModelFormatException(file + ": the optimizer state has no entries for the parameters " + missing
                    + "; resuming would start their moments from zero and not continue the run exactly. The file was edited or damaged");
        }
        requireFinite(file, "parameter", parameters, k);
        requireFinite(file, "optimizer state entry", optimizerState, k);
    }

    private static void requireFinite(String file, String what, Map<String, Tensor> tensors, Kernels k) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            int bad = k.firstNonFinite(t.data(), t.size());
            if (bad >= 0) {
                throw new ModelFormatException(file + ": " + what + " '" + e.getKey() + "' holds " + t.data()[bad] + " (element " + bad
                        + "), so training cannot continue from it: the file was saved from a diverged run or damaged; train again "
                        + "from the spec, or from an earlier model file");
            }
        }
    }
}
