package com.example.propel;

import dev.propel.testkit.InvalidAttributes;
import dev.propel.testkit.LayerCase;
import dev.propel.testkit.LayerContract;

import java.util.List;
import java.util.Map;

/** Every layer contract of the testkit on example_layer_norm, with and without the learnable gain and bias. */
class LayerNormContractTest extends LayerContract {

    @Override
    protected List<LayerCase> layerCases() {
        return List.of(
                LayerCase.of("example_layer_norm").inputShape(17).inputShape(2, 5).inputShape(1)
                        .rejects(new InvalidAttributes(Map.of("eps", 0), "'eps'", "> 0"))
                        .rejects(new InvalidAttributes(Map.of("elementwise_affine", "yes"), "'elementwise_affine'", "true or false"))
                        .rejectsInputShape()
                        .rejectsInputShape(3, 0),
                LayerCase.of("example_layer_norm", Map.of("eps", 1e-3)).inputShape(33).batches(2, 5),
                LayerCase.of("example_layer_norm", Map.of("elementwise_affine", false)).inputShape(3, 7));
    }
}
