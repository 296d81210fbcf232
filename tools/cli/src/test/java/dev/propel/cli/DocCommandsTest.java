package dev.propel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every {@code ./propel} line of the command blocks (fenced blocks) in README.md and docs/cli.md, in the
 * order they appear, in one scratch directory, so that the documented commands cannot drift from the CLI.
 * Lines of a block that are not {@code ./propel} commands (e.g. {@code mvn -q verify}) and example output
 * (blocks whose lines start with {@code $ }) are skipped. To stay quick, a few flags are substituted:
 * <ul>
 *   <li>{@code --data fashion-mnist} becomes {@code --data sample} (the bundled 6000/1000 sample);</li>
 *   <li>{@code --epochs N} becomes {@code --epochs 1}, or {@code 2} when resuming (one more than the model has);</li>
 *   <li>{@code --steps N} becomes {@code --steps 2};</li>
 *   <li>{@code quickstart} gets {@code --data sample --epochs 1 --out propel-out/quickstart.pb}.</li>
 * </ul>
 * Relative paths under {@code examples/} point into the repository, those under {@code propel-out/} into
 * the scratch directory; {@code > FILE} writes standard output to that file.
 */
class DocCommandsTest {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void everyDocumentedCommandRuns() throws IOException {
        List<String> commands = new ArrayList<>();
        commands.addAll(commands(ROOT.resolve("README.md")));
        commands.addAll(commands(ROOT.resolve("docs/cli.md")));
        assertTrue(commands.size() >= 15, "found the documented commands: " + commands);
        for (String command : commands) run(command);
        assertTrue(Files.isRegularFile(dir.resolve("propel-out/report.html")), "compare wrote its report");
        assertTrue(Files.readString(dir.resolve("propel-out/result.json")).contains("\"epochs\""), "--json > file");
    }

    /** The {@code ./propel} commands of a markdown file's fenced blocks, continuation lines joined, comments dropped. */
    static List<String> commands(Path markdown) throws IOException {
        List<String> commands = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder pending = null;
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) continue;
            if (pending == null && !line.startsWith("./propel ")) continue;
            String text = pending == null ? line : pending + " " + line.strip();
            if (text.endsWith("\\")) {
                pending = new StringBuilder(text.substring(0, text.length() - 1).stripTrailing());
                continue;
            }
            pending = null;
            commands.add(withoutComment(text).strip());
        }
        assertFalse(inBlock, markdown + " has an unclosed code block");
        return commands;
    }

    private static String withoutComment(String line) {
        boolean single = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') single = !single;
            if (c == '#' && !single && i > 0 && line.charAt(i - 1) == ' ') return line.substring(0, i);
        }
        return line;
    }

    private void run(String command) throws IOException {
        List<String> words = words(command.substring("./propel ".length()));
        Path stdout = null;
        int redirect = words.indexOf(">");
        if (redirect >= 0) {
            stdout = path(words.get(redirect + 1));
            words = new ArrayList<>(words.subList(0, redirect));
        }
        List<String> args = new ArrayList<>();
        boolean resume = words.contains("--resume");
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String previous = i > 0 ? words.get(i - 1) : "";
            if (previous.equals("--data") && w.equals("fashion-mnist")) w = "sample";
            else if (previous.equals("--epochs")) w = resume ? "2" : "1";
            else if (previous.equals("--steps")) w = "2";
            else if (w.startsWith("examples/") || w.startsWith("propel-out/")) w = path(w).toString();
            args.add(w);
        }
        if (args.getFirst().equals("quickstart")) {
            args.addAll(List.of("--data", "sample", "--epochs", "1", "--out", path("propel-out/quickstart.pb").toString()));
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), command + "\n" + r);
        assertFalse(r.err().contains("error"), command + "\n" + r);
        if (stdout != null) Files.writeString(stdout, r.out());
    }

    private Path path(String relative) throws IOException {
        if (relative.startsWith("examples/")) return ROOT.resolve(relative);
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return p;
    }

    /** Splits a command line as a POSIX shell does for the quoting the docs use ('...' and "..."). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else word.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                if (word == null) word = new StringBuilder();
            } else if (c == ' ') {
                if (word != null) words.add(word.toString());
                word = null;
            } else {
                if (word == null) word = new StringBuilder();
                word.append(c);
            }
        }
        assertEquals(0, quote, "unclosed quote in: " + line);
        if (word != null) words.add(word.toString());
        return words;
    }
}
