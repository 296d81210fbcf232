package dev.propel.cli;

import dev.propel.Propel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The root {@code propel} command: global options and the streams every command writes to. */
@Command(name = "propel",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Propel: a plugin-based neural-network framework for the JVM.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class, InspectCommand.class,
                ConvertCommand.class, CompareCommand.class, TraceCommand.class, PluginsCommand.class, BenchCommand.class},
        footer = {"", "Run 'propel COMMAND --help' for a command's options. Errors exit with 1, usage errors with 2."})
public final class PropelCommand implements Callable<Integer> {
    final PrintStream out;
    final PrintStream err;
    final boolean stderrIsTerminal;
    int threads = Runtime.getRuntime().availableProcessors();
    boolean verbose;
    final List<Path> pluginDirectories = new ArrayList<>();
    /** The command line as given (after the program name), for reports that say how they were made. */
    List<String> arguments = List.of();

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions global;

    PropelCommand(PrintStream out, PrintStream err, boolean stderrIsTerminal) {
        this.out = out;
        this.err = err;
        this.stderrIsTerminal = stderrIsTerminal;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command given; use one of quickstart, train, eval, predict, inspect, convert, compare, trace, plugins");
    }

    /**
     * A registry of the plugins on the class path and in the {@code --plugins} directories, with the
     * requested kernel threads; warnings go to stderr.
     */
    Propel propel() {
        Propel.Builder builder = Propel.builder().threads(threads).warnings(err::println);
        pluginDirectories.forEach(builder::pluginDirectory);
        return builder.build();
    }

    /** "./propel compare a.pb b.pb --data sample": the command line that is running, quoted for a shell where needed. */
    String commandLine() {
        StringBuilder sb = new StringBuilder("./propel");
        for (String a : arguments) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./:=,@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
