package dev.propel.cli;

import dev.propel.train.ProgressBarListener;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.util.List;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the {@code propel} command. Every error ends as one line on standard error,
 * {@code propel: error: ...}, and a non-zero exit: 2 for usage errors (unknown option, bad option
 * value), 1 for everything else. {@code --verbose} adds the stack trace.
 */
public final class Main {
    /** Exit code for usage errors (picocli's convention). */
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    /** Exit code for every other error. */
    public static final int FAILURE = CommandLine.ExitCode.SOFTWARE;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, ProgressBarListener.stderrIsTerminal()));
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests). */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean stderrIsTerminal) {
        PropelCommand root = new PropelCommand(out, err, stderrIsTerminal);
        root.arguments = List.of(args);
        CommandLine cl = new CommandLine(root);
        WholeWordHelp.install(cl);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((ex, arguments) -> usageError(root, ex));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failure(root, ex));
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            return report(root, e, "out of memory (" + e.getMessage() + "); give the JVM more heap, e.g. "
                    + "PROPEL_JAVA_OPTS=-Xmx8g ./propel ..., or use a smaller model or batch size", FAILURE);
        } catch (StackOverflowError e) {
            return report(root, e, "stack overflow: " + e, FAILURE);
        }
    }

    private static int usageError(PropelCommand root, ParameterException ex) {
        String command = ex.getCommandLine().getCommandSpec().qualifiedName();
        String message = oneLine(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        return report(root, ex, message + "; see '" + command + " --help'", USAGE);
    }

    private static int failure(PropelCommand root, Exception ex) {
        if (ex instanceof ParameterException p) return usageError(root, p);
        String message = ex.getMessage() == null || ex.getMessage().isBlank() ? ex.toString() : ex.getMessage();
        if (ex instanceof java.io.UncheckedIOException u && u.getCause() != null && u.getCause().getMessage() != null) {
            message = u.getMessage();
        }
        return report(root, ex, oneLine(message), FAILURE);
    }

    private static int report(PropelCommand root, Throwable ex, String message, int code) {
        root.err.println("propel: error: " + message);
        if (root.verbose) ex.printStackTrace(root.err);
        root.err.flush();
        return code;
    }

    /** The longest word (a run without white space, e.g. a quoted value from a file) an error message shows whole. */
    static final int LONGEST_WORD = 200;
    private static final int LONGEST_MESSAGE = 20_000;

    /**
     * Error messages are one line: line breaks inside a message become "; ". Words longer than
     * {@link #LONGEST_WORD} characters (a hostile file's 19 MB type id quoted in full) are cut to that
     * length and marked "… (N chars)".
     */
    static String oneLine(String s) {
        String cut = LONG_WORD.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group().substring(0, LONGEST_WORD) + "… (" + m.group().length() + " chars)"));
        // Bounded before the line breaks are joined, so that pattern never sees megabytes of white space.
        if (cut.length() > LONGEST_MESSAGE) cut = cut.substring(0, LONGEST_MESSAGE) + "… (a message of " + cut.length() + " chars)";
        return cut.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static final java.util.regex.Pattern LONG_WORD = java.util.regex.Pattern.compile("\\S{" + (LONGEST_WORD + 1) + ",}");
}
