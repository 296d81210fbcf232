package com.example.propel;

import dev.propel.testkit.InvalidAttributes;
import dev.propel.testkit.LayerCase;
import dev.propel.testkit.LayerContract;

import java.util.List;
import java.util.Map;

/** Every layer contract of the testkit, on swish with a learnable and with a fixed beta. */
class SwishContractTest extends LayerContract {

    @Override
    protected List<LayerCase> layerCases() {
        return List.of(
                LayerCase.of("swish").inputShape(17).inputShape(2, 3)
                        .rejects(new InvalidAttributes(Map.of("beta", "one"), "'beta'", "a number"))
                        .rejects(new InvalidAttributes(Map.of("learnable", 1), "'learnable'", "true or false"))
                        .rejectsInputShape(),
                LayerCase.of("swish", Map.of("beta", 1.7)).inputShape(33).batches(2, 5),
                LayerCase.of("swish", Map.of("beta", -0.5, "learnable", false)).inputShape(17));
    }
}
