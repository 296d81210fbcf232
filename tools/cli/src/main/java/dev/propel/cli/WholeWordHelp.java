package dev.propel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.Map;

/**
 * Help that wraps lines only at spaces. Picocli wraps with the JDK's line {@link java.text.BreakIterator},
 * which also breaks after a dot, slash or hyphen inside a word ({@code docs/spark.\nmd}, {@code .\njson}).
 * Here those characters are swapped for private-use stand-ins (one character each, so widths stay right)
 * while the table is laid out, and swapped back when it is printed.
 */
final class WholeWordHelp {
    private static final String JOINERS = "./-_=,";
    private static final char FIRST_STAND_IN = '\uE000';

    private WholeWordHelp() {
    }

    /**
     * Makes {@code commandLine} and its subcommands print help that wraps at spaces only, with the short
     * synopsis ({@code propel train [OPTIONS]}): the options follow in full, and a synopsis of thirty options
     * wrapped over ten lines helps nobody.
     */
    static void install(CommandLine commandLine) {
        commandLine.setHelpFactory(Factory::new);
        abbreviate(commandLine);
    }

    private static void abbreviate(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage().abbreviateSynopsis(true);
        commandLine.getSubcommands().values().forEach(WholeWordHelp::abbreviate);
    }

    private static final class Factory extends Help {
        Factory(CommandSpec spec, ColorScheme scheme) {
            super(spec, scheme);
        }

        @Override
        public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals, ColorScheme scheme) {
            Layout layout = super.createDefaultLayout(options, positionals, scheme);
            return new Layout(scheme, new Table(scheme, layout.textTable()), layout.optionRenderer(), layout.parameterRenderer());
        }

        @Override
        public TextTable createTextTable(Map<?, ?> map) {
            return new Table(colorScheme(), super.createTextTable(map));
        }

        @Override
        public String description(Object... params) {
            return paragraphs(commandSpec().usageMessage().description(), params);
        }

        @Override
        public String footer(Object... params) {
            return paragraphs(commandSpec().usageMessage().footer(), params);
        }

        /** As picocli's {@code Help.join}: each line formatted with the parameters and wrapped to the usage width. */
        private String paragraphs(String[] lines, Object... params) {
            if (lines == null || lines.length == 0) return "";
            TextTable table = new Table(colorScheme(), TextTable.forColumnWidths(colorScheme(), commandSpec().usageMessage().width()));
            table.indentWrappedLines = 0;
            for (String line : lines) table.addRowValues(String.format(line, params));
            return table.toString();
        }

        /** Picocli's command list (name, then the first line of the description) in a table that keeps words whole. */
        @Override
        public String commandList(Map<String, Help> subcommands) {
            if (subcommands.isEmpty()) return "";
            int width = commandSpec().usageMessage().width();
            int names = Math.min(subcommands.keySet().stream().mapToInt(String::length).max().orElse(0), width / 2);
            Table table = new Table(colorScheme(), TextTable.forColumns(colorScheme(),
                    new Column(names + 2, 2, Column.Overflow.SPAN), new Column(width - (names + 2), 2, Column.Overflow.WRAP)));
            for (Help help : subcommands.values()) {
                var usage = help.commandSpec().usageMessage();
                String summary = usage.header().length > 0 ? usage.header()[0] : usage.description().length > 0 ? usage.description()[0] : "";
                Text[] lines = colorScheme().text(summary).splitLines();
                for (int i = 0; i < lines.length; i++) {
                    table.addRowValues(i == 0 ? help.commandNamesText(", ") : colorScheme().text(""), lines[i]);
                }
            }
            return table.toString();
        }
    }

    private static final class Table extends TextTable {
        private final ColorScheme scheme;

        Table(ColorScheme scheme, TextTable like) {
            super(scheme, like.columns());
            this.scheme = scheme;
            this.indentWrappedLines = like.indentWrappedLines;
        }

        @Override
        public Cell putValue(int row, int col, Text value) {
            if (col != columns().length - 1) return super.putValue(row, col, value);
            return super.putValue(row, col, scheme.ansi().new Text(protect(value.plainString()), scheme));
        }

        @Override
        public StringBuilder toString(StringBuilder text) {
            return text.append(restore(super.toString(new StringBuilder()).toString()));
        }
    }

    /** Joiners between two non-spaces become stand-ins, so the line breaker sees one word. */
    static String protect(String s) {
        StringBuilder sb = new StringBuilder(s);
        for (int i = 0; i < sb.length(); i++) {
            int j = JOINERS.indexOf(sb.charAt(i));
            if (j >= 0 && i + 1 < sb.length() && !Character.isWhitespace(sb.charAt(i + 1))
                    && (i == 0 || !Character.isWhitespace(sb.charAt(i - 1)) || sb.charAt(i) == '.' || sb.charAt(i) == '-')) {
                sb.setCharAt(i, (char) (FIRST_STAND_IN + j));
            }
        }
        return sb.toString();
    }

    static String restore(String s) {
        StringBuilder sb = new StringBuilder(s);
        for (int i = 0; i < sb.length(); i++) {
            int j = sb.charAt(i) - FIRST_STAND_IN;
            if (j >= 0 && j < JOINERS.length()) sb.setCharAt(i, JOINERS.charAt(j));
        }
        return sb.toString();
    }
}
