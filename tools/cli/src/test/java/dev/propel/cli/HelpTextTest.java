package dev.propel.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's --help keeps words whole when it wraps, and lists each command with a whole sentence. */
class HelpTextTest {
    private static CommandLine root() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        CommandLine cl = new CommandLine(new PropelCommand(nowhere, nowhere, false));
        WholeWordHelp.install(cl);
        return cl;
    }

    private static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> found = new ArrayList<>(List.of(cl));
        cl.getSubcommands().values().forEach(sub -> found.addAll(all(sub)));
        return found;
    }

    @Test
    void wrappingNeverSplitsAWord() {
        int checked = 0;
        for (CommandLine cl : all(root())) {
            String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            Set<String> shown = Arrays.stream(help.split("\\s+")).collect(Collectors.toSet());
            List<String> texts = new ArrayList<>(List.of(cl.getCommandSpec().usageMessage().description()));
            for (OptionSpec o : cl.getCommandSpec().options()) texts.addAll(List.of(o.description()));
            for (String text : texts) {
                for (String word : text.split("\\s+")) {
                    if (word.isEmpty() || word.contains("$") || word.contains("%") || word.length() > 40) continue;
                    assertTrue(shown.contains(word), "'" + word + "' is split in the help of '"
                            + cl.getCommandSpec().qualifiedName() + "':\n" + help);
                    checked++;
                }
            }
        }
        assertTrue(checked > 500, "checked the words of every description: " + checked);
    }

    @Test
    void everyCommandsSummaryIsAWholeSentence() {
        for (CommandLine cl : all(root())) {
            String[] description = cl.getCommandSpec().usageMessage().description();
            assertTrue(description.length > 0, cl.getCommandSpec().qualifiedName());
            assertTrue(description[0].endsWith(".") || description[0].endsWith(".)"),
                    "the command list shows the first line, so it must be a whole sentence: " + description[0]);
        }
    }

    /** Picocli formats every description with {@code String.format}: a bare '%' makes it warn on stderr and print the raw text. */
    @Test
    void noHelpMakesPicocliWarn() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (CommandLine cl : all(root())) {
                cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
                String warnings = err.toString(java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(warnings.isEmpty(), "the help of '" + cl.getCommandSpec().qualifiedName()
                        + "' made picocli warn (write a '%' as '%%'):\n" + warnings);
            }
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void protectedJoinersComeBackUnchanged() {
        String text = "see docs/spark.md, e.g. {\"hidden.weight\": 1} or 0.05,0.95 --lr-schedule-per";
        assertEquals(text, WholeWordHelp.restore(WholeWordHelp.protect(text)));
    }
}
