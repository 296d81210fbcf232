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

    /** Runs {@link LayerChecks#identity} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> identity() {
        return each(LayerChecks::identity);
    }

    /** Runs {@link LayerChecks#shapes} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> shapes() {
        return each(LayerChecks::shapes);
    }

    /** Runs {@link LayerChecks#wrongShapesRejected} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> wrongShapesRejected() {
        return each(LayerChecks::wrongShapesRejected);
    }

    /** Runs {@link LayerChecks#gradients} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> gradients() {
        return each(LayerChecks::gradients);
    }

    /** Runs {@link LayerChecks#inputGradientSkipped} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> inputGradientSkipped() {
        return each(LayerChecks::inputGradientSkipped);
    }

    /** Runs {@link LayerChecks#buffersReused} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> buffersReused() {
        return each(LayerChecks::buffersReused);
    }

    /** Runs {@link LayerChecks#attributeErrors} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> attributeErrors() {
        return each(LayerChecks::attributeErrors);
    }

    /** Runs {@link LayerChecks#determinism} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> determinism() {
        return each(LayerChecks::determinism);
    }

    /** Runs {@link LayerChecks#concurrentPasses} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> concurrentPasses() {
        return each(LayerChecks::concurrentPasses);
    }

    /** Runs {@link LayerChecks#saveLoadRoundTrip} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> saveLoadRoundTrip() {
        return each(LayerChecks::saveLoadRoundTrip);
    }

    /** Runs {@link LayerChecks#aliasing} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> aliasing() {
        return each(LayerChecks::aliasing);
    }

    /** Runs {@link LayerChecks#state} on every case of {@link #layerCases()}. */
    @TestFactory
    public Stream<DynamicTest> state() {
        return each(LayerChecks::state);
    }

    private Stream<DynamicTest> each(BiConsumer<Propel, LayerCase> check) {
        return layerCases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check.accept(propel(), c)));
    }
}
