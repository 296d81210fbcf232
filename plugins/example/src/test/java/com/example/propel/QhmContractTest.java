package com.example.propel;

import dev.propel.testkit.InvalidAttributes;
import dev.propel.testkit.OptimizerCase;
import dev.propel.testkit.OptimizerContract;

import java.util.List;
import java.util.Map;

/** Every optimizer contract of the testkit on qhm, with the paper's defaults and with weight decay. */
class QhmContractTest extends OptimizerContract {

    @Override
    protected List<OptimizerCase> optimizerCases() {
        return List.of(
                OptimizerCase.of("qhm")
                        .rejects(new InvalidAttributes(Map.of("nu", 1.5), "'nu'", "<= 1"))
                        .rejects(new InvalidAttributes(Map.of("beta", 1), "'beta'", "< 1"))
                        .rejects(new InvalidAttributes(Map.of("learning_rate", 0), "'learning_rate'", "> 0")),
                OptimizerCase.of("qhm", Map.of("nu", 1.0, "beta", 0.9, "weight_decay", 0.01, "learning_rate", 0.05)),
                OptimizerCase.of("qhm", Map.of("nu", 0.0)).descent(50, 0.05));
    }
}
