package dev.propel.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlainNumbersTest {
    @Test
    void floatsAndDoublesPrintWithoutExponents() {
        assertEquals("0.0003", PlainNumbers.plain(3.0E-4f));
        assertEquals("0.0003", PlainNumbers.plain(3.0E-4));
        assertEquals("0.001", PlainNumbers.plain(0.001f));
        assertEquals("0", PlainNumbers.plain(0.0));
        assertEquals("2", PlainNumbers.plain(2.0f));
        assertEquals("12000000", PlainNumbers.plain(1.2e7));
        assertEquals("NaN", PlainNumbers.plain(Float.NaN));
        assertEquals("7", PlainNumbers.plain(7));
        assertEquals("true", PlainNumbers.plain(true));
    }
}
