package com.example.propel;

import dev.propel.testkit.InvalidAttributes;
import dev.propel.testkit.OptimizerCase;
import dev.propel.testkit.OptimizerContract;

import java.util.List;
import java.util.Map;

/**
 * Every optimizer contract of the testkit on lion. Each coordinate moves by ±learning_rate per step,
 * so the descent cases use a learning rate that can cross the convex problem's N(0, 1) distances in
 * the steps given; with the default 1e-4 the check is only that 200 steps go downhill.
 */
class LionContractTest extends OptimizerContract {

    @Override
    protected List<OptimizerCase> optimizerCases() {
        return List.of(
                OptimizerCase.of("lion", Map.of("learning_rate", 0.02))
                        .rejects(new InvalidAttributes(Map.of("beta1", 1), "'beta1'", "< 1"))
                        .rejects(new InvalidAttributes(Map.of("beta2", -0.1), "'beta2'", ">= 0"))
                        .rejects(new InvalidAttributes(Map.of("weight_decay", -1), "'weight_decay'", ">= 0"))
                        .rejects(new InvalidAttributes(Map.of("learning_rate", 0), "'learning_rate'", "> 0")),
                OptimizerCase.of("lion", Map.of("learning_rate", 0.01, "beta1", 0.95, "beta2", 0.98, "weight_decay", 0.1))
                        .descent(300, 0.2),
                OptimizerCase.of("lion").descent(200, 0.99));
    }
}
