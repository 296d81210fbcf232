package dev.propel.testkit;

/**
 * A contract a layer, loss, optimizer or plugin does not meet. The message starts with the contract
 * that failed and the case it failed on, e.g. {@code "layer contract 'gradients' failed for swish
 * {beta_init=1.0}, input [3, 17]: ..."}, followed by the numbers that show why.
 */
public final class ContractFailure extends AssertionError {
    private final String contract;

    ContractFailure(String kind, String contract, String subject, String detail, Throwable cause) {
        super(kind + " contract '" + contract + "' failed for " + subject + ": " + detail, cause);
        this.contract = contract;
    }

    /** The name of the contract that failed, e.g. {@code "gradients"}. */
    public String contract() {
        return contract;
    }
}
