package dev.propel.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * Options accepted before or after any command ({@code propel --threads 2 train ...} and
 * {@code propel train ... --threads 2} mean the same). Mixed into every command; the values are
 * stored on the root {@link PropelCommand}.
 */
public final class GlobalOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the numeric kernels (default: the number of cores).")
    void threads(int threads) {
        if (threads < 1) {
            throw new ParameterException(mixee.commandLine(), "--threads must be at least 1, got " + threads);
        }
        root().threads = threads;
    }

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Also load the plugins in DIR: each jar, or each folder of jars, in its own class loader (repeatable).")
    void plugins(Path directory) {
        root().pluginDirectories.add(directory);
    }

    @Option(names = "--verbose", description = "Print the stack trace after an error message.")
    void verbose(boolean verbose) {
        if (verbose) root().verbose = true;
    }

    private PropelCommand root() {
        return (PropelCommand) mixee.root().userObject();
    }
}
