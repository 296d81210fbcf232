package dev.propel.testkit;

import java.util.List;

/** Builds {@link ContractFailure}s for one kind of contract ("layer", "loss", "optimizer", "plugin"). */
final class Failures {
    private final String kind;

    Failures(String kind) {
        this.kind = kind;
    }

    ContractFailure fail(String contract, String subject, String detail) {
        return new ContractFailure(kind, contract, subject, detail, null);
    }

    ContractFailure fail(String contract, String subject, String detail, Throwable cause) {
        return new ContractFailure(kind, contract, subject, detail, cause);
    }

    /** Re-throws a failed assertion (e.g. from {@link GradientCheck}) under the contract's name. */
    ContractFailure wrap(String contract, String subject, AssertionError e) {
        return new ContractFailure(kind, contract, subject, e.getMessage(), e);
    }

    /** A contract that expected {@code expected} to be thrown by {@code action}; returns it. */
    <T extends Throwable> T expectThrows(String contract, String subject, Class<T> expected, String action,
                                         String fix, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            if (expected.isInstance(t)) return expected.cast(t);
            throw fail(contract, subject, action + " threw " + t + " but a " + expected.getSimpleName()
                    + " was expected; " + fix, t);
        }
        throw fail(contract, subject, action + " did not throw; " + fix);
    }

    /** Fails unless {@code message} contains each of {@code fragments}. */
    void requireMentions(String contract, String subject, Throwable t, List<String> fragments, String why) {
        String m = String.valueOf(t.getMessage());
        for (String f : fragments) {
            if (!m.contains(f)) {
                throw fail(contract, subject, "the " + t.getClass().getSimpleName() + " message should mention "
                        + f + " (" + why + ") but is: " + m, t);
            }
        }
    }
}
