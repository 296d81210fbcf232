package dev.propel.testkit;

import dev.propel.Propel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The optimizer contracts as JUnit Jupiter tests: extend it, list the cases, and every contract of
 * {@link OptimizerChecks} runs on each case as its own test.
 *
 * <pre>{@code
 * class QhmContractTest extends OptimizerContract {
 *     @Override
 *     protected List<OptimizerCase> optimizerCases() {
 *         return List.of(OptimizerCase.of("qhm"), OptimizerCase.of("qhm", Map.of("weight_decay", 0.01)));
 *     }
 * }
 * }</pre>
 */
public abstract class OptimizerContract {

    /** The cases to check: one per interesting configuration of each optimizer type. */
    protected abstract List<OptimizerCase> optimizerCases();

    /** The registry the optimizers are made from (default: {@link Testkit#propel()}). */
    protected Propel propel() {
        return Testkit.propel();
    }

    /** Runs {@link OptimizerChecks#identity} on every case of {@link #optimizerCases()}. */
    @TestFactory
    public Stream<DynamicTest> identity() {
        return each(OptimizerChecks::identity);
    }

    /** Runs {@link OptimizerChecks#descent} on every case of {@link #optimizerCases()}. */
    @TestFactory
    public Stream<DynamicTest> descent() {
        return each(OptimizerChecks::descent);
    }

    /** Runs {@link OptimizerChecks#stateRoundTrip} on every case of {@link #optimizerCases()}. */
    @TestFactory
    public Stream<DynamicTest> stateRoundTrip() {
        return each(OptimizerChecks::stateRoundTrip);
    }

    /** Runs {@link OptimizerChecks#learningRateHonoured} on every case of {@link #optimizerCases()}. */
    @TestFactory
    public Stream<DynamicTest> learningRateHonoured() {
        return each(OptimizerChecks::learningRateHonoured);
    }

    /** Runs {@link OptimizerChecks#attributeErrors} on every case of {@link #optimizerCases()}. */
    @TestFactory
    public Stream<DynamicTest> attributeErrors() {
        return each(OptimizerChecks::attributeErrors);
    }

    /** Runs {@link OptimizerChecks#determinism} on every case of {@link #optimizerCases()}. */
    @TestFactory
    public Stream<DynamicTest> determinism() {
        return each(OptimizerChecks::determinism);
    }

    /** Runs {@link OptimizerChecks#saveLoadRoundTrip} on every case of {@link #optimizerCases()}. */
    @TestFactory
    public Stream<DynamicTest> saveLoadRoundTrip() {
        return each(OptimizerChecks::saveLoadRoundTrip);
    }

    private Stream<DynamicTest> each(BiConsumer<Propel, OptimizerCase> check) {
        return optimizerCases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check.accept(propel(), c)));
    }
}
