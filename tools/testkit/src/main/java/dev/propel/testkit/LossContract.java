package dev.propel.testkit;

import dev.propel.Propel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The loss contracts as JUnit Jupiter tests: extend it, list the cases, and every contract of
 * {@link LossChecks} runs on each case as its own test.
 *
 * <pre>{@code
 * class HuberContractTest extends LossContract {
 *     @Override
 *     protected List<LossCase> lossCases() {
 *         return List.of(LossCase.of("huber").shape(3, 17).shape(1, 1));
 *     }
 * }
 * }</pre>
 */
public abstract class LossContract {

    /** The cases to check: one per interesting configuration of each loss type. */
    protected abstract List<LossCase> lossCases();

    /** The registry the losses are made from (default: {@link Testkit#propel()}). */
    protected Propel propel() {
        return Testkit.propel();
    }

    /** Runs {@link LossChecks#identity} on every case of {@link #lossCases()}. */
    @TestFactory
    public Stream<DynamicTest> identity() {
        return each(LossChecks::identity);
    }

    /** Runs {@link LossChecks#gradients} on every case of {@link #lossCases()}. */
    @TestFactory
    public Stream<DynamicTest> gradients() {
        return each(LossChecks::gradients);
    }

    /** Runs {@link LossChecks#wrongShapesRejected} on every case of {@link #lossCases()}. */
    @TestFactory
    public Stream<DynamicTest> wrongShapesRejected() {
        return each(LossChecks::wrongShapesRejected);
    }

    /** Runs {@link LossChecks#attributeErrors} on every case of {@link #lossCases()}. */
    @TestFactory
    public Stream<DynamicTest> attributeErrors() {
        return each(LossChecks::attributeErrors);
    }

    /** Runs {@link LossChecks#determinism} on every case of {@link #lossCases()}. */
    @TestFactory
    public Stream<DynamicTest> determinism() {
        return each(LossChecks::determinism);
    }

    /** Runs {@link LossChecks#concurrentUse} on every case of {@link #lossCases()}. */
    @TestFactory
    public Stream<DynamicTest> concurrentUse() {
        return each(LossChecks::concurrentUse);
    }

    /** Runs {@link LossChecks#saveLoadRoundTrip} on every case of {@link #lossCases()}. */
    @TestFactory
    public Stream<DynamicTest> saveLoadRoundTrip() {
        return each(LossChecks::saveLoadRoundTrip);
    }

    private Stream<DynamicTest> each(BiConsumer<Propel, LossCase> check) {
        return lossCases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check.accept(propel(), c)));
    }
}
