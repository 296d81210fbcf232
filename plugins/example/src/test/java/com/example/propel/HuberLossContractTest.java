package com.example.propel;

import dev.propel.testkit.InvalidAttributes;
import dev.propel.testkit.LossCase;
import dev.propel.testkit.LossContract;
import dev.propel.testkit.RandomTensors;

import java.util.List;
import java.util.Map;

/**
 * Every loss contract of the testkit on huber. The predictions spread far enough that both the
 * quadratic and the linear part are checked; the finite-difference step is small next to the
 * distance of most elements from the kinks at ±delta.
 */
class HuberLossContractTest extends LossContract {

    @Override
    protected List<LossCase> lossCases() {
        return List.of(
                LossCase.of("huber").shape(3, 17).shape(1, 1).shape(2, 3, 5)
                        .predictions((rng, dims) -> RandomTensors.normal(rng, 2f, dims))
                        .rejects(new InvalidAttributes(Map.of("delta", 0), "'delta'", "> 0"))
                        .rejects(new InvalidAttributes(Map.of("delta", -1), "'delta'", "> 0")),
                LossCase.of("huber", Map.of("delta", 0.25)).shape(5, 33).epsilon(1e-3));
    }
}
