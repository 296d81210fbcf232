package dev.propel.spark;

import dev.propel.spi.PropelException;

/**
 * Spark reports a failed task as a {@code SparkException} whose message holds the executor's stack
 * trace; when the cause is one of Propel's own errors (bad data, a model that does not fit), the user
 * gets that error's message, which says what to fix, with the Spark exception kept as the cause.
 */
final class ExecutorFailures {
    private ExecutorFailures() {
    }

    /**
     * {@code e}, or the Propel error that caused it. Takes any exception because Spark's job failure, a checked
     * {@code SparkException}, reaches Java callers undeclared (Scala does not declare it); one that is not a
     * Propel error's comes back unchecked, with its message.
     */
    static RuntimeException explain(Exception e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof PropelException) return new PropelException(t.getMessage() + " (on a Spark executor)", e);
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
}
