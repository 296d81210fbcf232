package dev.propel.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean relu?" for a mistyped type id: the known names within a small edit distance (a letter
 * missing, extra, wrong or two swapped per three letters), closest first. Picocli does this for options
 * and subcommands; this does it for the names plugins provide.
 */
final class Suggestions {
    private Suggestions() {
    }

    /** The candidates closest to {@code typed}, or none when nothing is close. */
    static List<String> closest(String typed, Collection<String> candidates) {
        String t = typed.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, t.length() / 3);
        int best = Integer.MAX_VALUE;
        List<String> found = new ArrayList<>();
        for (String c : candidates) {
            int d = distance(t, c.toLowerCase(Locale.ROOT));
            if (d > limit || d > best || found.contains(c)) continue;
            if (d < best) found.clear();
            best = d;
            found.add(c);
        }
        return found;
    }

    /** {@code "did you mean relu?"} (or {@code "relu or elu"}), or "" when nothing is close. */
    static String didYouMean(String typed, Collection<String> candidates) {
        List<String> close = closest(typed, candidates);
        return close.isEmpty() ? "" : "did you mean " + String.join(" or ", close) + "?";
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
