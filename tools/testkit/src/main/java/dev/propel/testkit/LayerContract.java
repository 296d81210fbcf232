package dev.propel.testkit;

import dev.propel.Propel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The layer contracts as JUnit Jupiter tests. Extend it once per layer type (or once for several),
 * list the cases, and every contract of {@link LayerChecks} runs on each case as its own test:
 *
 * <pre>{@code
 * class SwishContractTest extends LayerContract {
 *     @Override
 *     protected List<LayerCase> layerCases() {
 *         return List.of(LayerCase.of("swish").inputShape(17).inputShape(2, 3),
 *                 LayerCase.of("add").inputShapes(new int[] {17}, new int[] {17}));
 *     }
 * }
 * }</pre>
 *
 * The layers come from {@link #propel()}: by default {@link Testkit#propel()}, i.e. every plugin on
 * the test class path. Override it to use a registry built another way.
 */
public abstract class LayerContract {

    /** The cases to check: one per interesting configuration of each layer type. */
    protected abstract List<LayerCase> layerCases();

    /** The registry the layers are made from (default: {@link Testkit#propel()}). */
    protected Propel propel() {
        return Testkit.propel();
    }

    @TestFactory
    public Stream<DynamicTest> identity() {
        return each(LayerChecks::identity);
    }

    @TestFactory
    public Stream<DynamicTest> shapes() {
        return each(LayerChecks::shapes);
    }

    @TestFactory
    public Stream<DynamicTest> wrongShapesRejected() {
        return each(LayerChecks::wrongShapesRejected);
    }

    @TestFactory
    public Stream<DynamicTest> gradients() {
        return each(LayerChecks::gradients);
    }

    @TestFactory
    public Stream<DynamicTest> inputGradientSkipped() {
        return each(LayerChecks::inputGradientSkipped);
    }

    @TestFactory
    public Stream<DynamicTest> buffersReused() {
        return each(LayerChecks::buffersReused);
    }

    @TestFactory
    public Stream<DynamicTest> attributeErrors() {
        return each(LayerChecks::attributeErrors);
    }

    @TestFactory
    public Stream<DynamicTest> determinism() {
        return each(LayerChecks::determinism);
    }

    @TestFactory
    public Stream<DynamicTest> concurrentPasses() {
        return each(LayerChecks::concurrentPasses);
    }

    @TestFactory
    public Stream<DynamicTest> saveLoadRoundTrip() {
        return each(LayerChecks::saveLoadRoundTrip);
    }

    @TestFactory
    public Stream<DynamicTest> aliasing() {
        return each(LayerChecks::aliasing);
    }

    @TestFactory
    public Stream<DynamicTest> state() {
        return each(LayerChecks::state);
    }

    private Stream<DynamicTest> each(BiConsumer<Propel, LayerCase> check) {
        return layerCases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check.accept(propel(), c)));
    }
}
