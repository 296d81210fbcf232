package dev.propel.testkit;

import dev.propel.spi.PropelPlugin;
import dev.propel.testkit.fixtures.FixturePlugin;
import dev.propel.testkit.support.TestkitSupportPlugin;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** Correct implementations pass every contract, run through the JUnit base classes as an author would. */
class FixtureContractsTest {

    static final Map<String, Object> GAIN = Map.of("gain", 1.5);

    @Nested
    class Layers extends LayerContract {
        @Override
        protected List<LayerCase> layerCases() {
            return List.of(
                    LayerCase.of("fixture_scale", GAIN).inputShape(17).inputShape(2, 3)
                            .rejectsInputShape()
                            .rejects(new InvalidAttributes(Map.of("gain", 0), "'gain'", "> 0")),
                    LayerCase.of("fixture_scale", Map.of("gain", 0.25)).inputShape(33).batches(2, 5),
                    LayerCase.of("fixture_weighted_sum").inputShapes(new int[] {17}, new int[] {17})
                            .inputShapes(List.of(new int[] {2, 3}, new int[] {2, 3}, new int[] {2, 3}))
                            .rejectsInputShapes(new int[] {17}, new int[] {16})
                            .rejectsInputShapes(new int[] {17}),
                    LayerCase.of("fixture_tracker").inputShape(17).rejectsInputShape(2, 3));
        }
    }

    @Nested
    class Losses extends LossContract {
        @Override
        protected List<LossCase> lossCases() {
            return List.of(LossCase.of("fixture_half_square").shape(3, 17).shape(1, 1).shape(2, 3, 5)
                    .rejects(new InvalidAttributes(Map.of("bug", "many"), "'bug'", "none")));
        }
    }

    @Nested
    class Optimizers extends OptimizerContract {
        @Override
        protected List<OptimizerCase> optimizerCases() {
            return List.of(
                    OptimizerCase.of("fixture_momentum").rejects(new InvalidAttributes(Map.of("momentum", 1), "'momentum'", "< 1")),
                    OptimizerCase.of("fixture_momentum", Map.of("learning_rate", 0.2, "momentum", 0)).descent(20, 0.01));
        }
    }

    /** The support types the round trips use pass the contracts too. */
    @Nested
    class SupportLayer extends LayerContract {
        @Override
        protected List<LayerCase> layerCases() {
            return List.of(LayerCase.of("testkit_scale").inputShape(17).inputShape(2, 3),
                    LayerCase.of("testkit_bias").inputShape(17).rejectsInputShape(2, 3),
                    LayerCase.of("testkit_slice", Map.of("offset", 2, "shape", List.of(3, 5))).inputShape(19)
                            .rejectsInputShape(16).rejectsInputShape(19, 1)
                            .rejects(new InvalidAttributes(Map.of("offset", -1, "shape", List.of(3)), "'offset'", ">= 0")),
                    LayerCase.of("testkit_center", Map.of("momentum", 0.8)).inputShape(17).rejectsInputShape(2, 3)
                            .rejects(new InvalidAttributes(Map.of("momentum", 1), "'momentum'", "< 1")));
        }
    }

    @Nested
    class SupportLoss extends LossContract {
        @Override
        protected List<LossCase> lossCases() {
            return List.of(LossCase.of("testkit_squared_error").shape(3, 17).shape(1, 1));
        }
    }

    /** Declared and loadable, but deliberately not in META-INF/services (so not "discoverable"). */
    @Test
    void supportPluginDeclaresItselfAndLoadsAlone() {
        PluginChecks.declaration(new TestkitSupportPlugin());
        PluginChecks.loadsAlone(new TestkitSupportPlugin());
    }

    @Nested
    class Plugin extends PluginContract {
        @Override
        protected PropelPlugin plugin() {
            return new FixturePlugin();
        }
    }
}
