package com.example.propel;

import dev.propel.testkit.InvalidAttributes;
import dev.propel.testkit.LossCase;
import dev.propel.testkit.LossContract;
import dev.propel.testkit.RandomTensors;
import dev.propel.testkit.TensorSource;

import java.util.List;
import java.util.Map;

/**
 * Every loss contract of the testkit on focal: one-hot and probability targets, the paper's γ = 2, a
 * γ below 1 (where q^(γ−1) needs its floor) and γ = 0 (cross-entropy).
 */
class FocalLossContractTest extends LossContract {

    @Override
    protected List<LossCase> lossCases() {
        TensorSource oneHot = (rng, dims) -> RandomTensors.oneHot(rng, dims[0], dims[1]);
        TensorSource distributions = (rng, dims) -> RandomTensors.probabilityRows(rng, dims[0], dims[1]);
        TensorSource wideLogits = (rng, dims) -> RandomTensors.normal(rng, 2f, dims);
        return List.of(
                LossCase.of("focal").shape(3, 17).shape(1, 1).shape(5, 3).predictions(wideLogits).targets(oneHot)
                        .rejects(new InvalidAttributes(Map.of("gamma", -1), "'gamma'", ">= 0"))
                        .rejects(new InvalidAttributes(Map.of("alpha", 0), "'alpha'", "> 0")),
                LossCase.of("focal", Map.of("gamma", 0.5, "alpha", 0.25)).shape(3, 17).predictions(wideLogits)
                        .targets(distributions),
                LossCase.of("focal", Map.of("gamma", 0)).shape(4, 9).predictions(wideLogits).targets(oneHot));
    }
}
