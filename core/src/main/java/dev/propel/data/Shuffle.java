package dev.propel.data;

import java.util.random.RandomGenerator;

/** Seeded Fisher–Yates shuffles, so a seed fixes the order of examples. */
public final class Shuffle {
    private Shuffle() {
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates with {@code rng}). */
    public static int[] permutation(int n, RandomGenerator rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        shuffle(p, rng);
        return p;
    }

    /** Shuffles {@code a} in place (Fisher-Yates with {@code rng}), so the same seed gives the same order. */
    public static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
