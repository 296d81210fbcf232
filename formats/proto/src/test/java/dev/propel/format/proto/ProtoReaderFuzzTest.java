package dev.propel.format.proto;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the {@code .pb} reader with Jazzer. In a plain test run (regression mode) it replays the
 * seed inputs in {@code src/test/resources/dev/propel/format/proto/ProtoReaderFuzzTestInputs/}; the
 * build's {@code fuzz} execution sets {@code JAZZER_FUZZ=1} and fuzzes for a few seconds. See
 * docs/format.md for the longer run.
 */
class ProtoReaderFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void readerAcceptsOrRefusesCleanly(byte[] data) {
        ProtoReaderFuzzTarget.fuzzerTestOneInput(data);
    }
}
