package dev.propel.plugins;

/**
 * Text about a plugin for one-line messages: what the plugin supplies (its name, version, type ids)
 * made safe to print, with control characters escaped and long strings cut; and what it threw.
 */
public final class PluginText {
    /** Longer text is cut to this many characters. */
    static final int MAX_LENGTH = 100;

    private PluginText() {
    }

    /** {@code 'text'} with control characters escaped and long text cut; {@code null} for null. */
    public static String quote(String text) {
        return text == null ? "null" : "'" + escape(text) + "'";
    }

    /** {@code text} with control characters escaped (as {@code \n}, {@code \t}, {@code \u0007}) and long text cut. */
    public static String escape(String text) {
        if (text == null) return "null";
        StringBuilder sb = new StringBuilder();
        int end = Math.min(text.length(), MAX_LENGTH);
        for (int i = 0; i < end; i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                default -> {
                    if (Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT
                            || Character.isSurrogate(ch) && !completesPair(text, i)) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        if (text.length() > MAX_LENGTH) sb.append("... (").append(text.length()).append(" characters)");
        return sb.toString();
    }

    /** Whether the surrogate at {@code i} is half of a valid pair that lies within the kept text. */
    private static boolean completesPair(String text, int i) {
        char ch = text.charAt(i);
        if (Character.isHighSurrogate(ch)) {
            return i + 1 < Math.min(text.length(), MAX_LENGTH) && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /** {@code e} and its causes, e.g. a NoClassDefFoundError and the ClassNotFoundException that says why. */
    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(", caused by ").append(c);
        }
        return sb.toString();
    }
}
