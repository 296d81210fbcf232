package dev.propel.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Abramowitz–Stegun erf against tabulated values (its error bound is 1.5e-7). */
class ErfTest {

    @Test
    void matchesTabulatedValues() {
        double[][] table = {
                {0, 0}, {0.1, 0.1124629160}, {0.5, 0.5204998778}, {1, 0.8427007929}, {1.5, 0.9661051465},
                {2, 0.9953222650}, {3, 0.9999779095}, {5, 1.0},
        };
        for (double[] row : table) {
            assertEquals(row[1], Erf.erf(row[0]), 1.5e-7, "erf(" + row[0] + ")");
            assertEquals(-row[1], Erf.erf(-row[0]), 1.5e-7, "erf(" + -row[0] + ")");
        }
    }

    @Test
    void saturatesAtTheInfinities() {
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
    }
}
