package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code propel bench}: tiny workloads and short rounds, checking the output and the errors, not the speed. */
class BenchCommandTest {
    private static final String[] QUICK = {"--rounds", "2", "--seconds", "0.01", "--warmup", "0.05"};

    private static JsonNode json(Cli r) throws IOException {
        assertEquals(0, r.exitCode(), r.toString());
        return new ObjectMapper().readTree(r.out());
    }

    /** The command words and options, then {@code extra} (options of the benchmark subcommand). */
    private static String[] args(String[] extra, String... command) {
        String[] all = new String[command.length + extra.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(extra, 0, all, command.length, extra.length);
        return all;
    }

    @Test
    void gemmPrintsOneJsonObjectWithGflops() throws IOException {
        JsonNode o = json(Cli.run(args(QUICK, "bench", "gemm", "--size", "40", "--threads", "1", "--json")));
        assertEquals("gemm", o.get("benchmark").textValue());
        assertEquals(40, o.get("m").intValue());
        assertEquals(40, o.get("k").intValue());
        assertEquals("AB", o.get("layout").textValue());
        assertEquals(1, o.get("threads").intValue());
        assertTrue(o.get("gflops").doubleValue() > 0, o.toString());
        assertTrue(o.get("gflops").doubleValue() >= o.get("gflops_median").doubleValue(), "best >= median: " + o);
    }

    @Test
    void gemmTakesANonSquareShapeAndEachLayout() throws IOException {
        for (String layout : new String[] {"AB", "ABt", "AtB"}) {
            JsonNode o = json(Cli.run(args(QUICK, "bench", "gemm", "--shape", "3x70x9", "--layout", layout, "--json")));
            assertEquals(3, o.get("m").intValue());
            assertEquals(70, o.get("n").intValue());
            assertEquals(9, o.get("k").intValue());
            assertEquals(layout, o.get("layout").textValue());
        }
        Cli text = Cli.run(args(QUICK, "bench", "gemm", "--size", "8"));
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().startsWith("gemm 8x8x8 AB, vector(") && text.out().contains("GFLOP/s"), text.out());
    }

    @Test
    void gemmRejectsABadLayoutOrShape() {
        Cli layout = Cli.run("bench", "gemm", "--layout", "BA");
        assertEquals(Main.USAGE, layout.exitCode(), layout.toString());
        assertTrue(layout.err().contains("--layout must be AB, ABt or AtB, got 'BA'"), layout.err());
        Cli shape = Cli.run("bench", "gemm", "--shape", "128x512");
        assertEquals(Main.USAGE, shape.exitCode(), shape.toString());
        assertTrue(shape.err().contains("--shape must be MxNxK") && shape.err().contains("'128x512'"), shape.err());
        Cli rounds = Cli.run("bench", "gemm", "--rounds", "0");
        assertEquals(Main.USAGE, rounds.exitCode(), rounds.toString());
        assertTrue(rounds.err().contains("--rounds must be at least 1, got 0"), rounds.err());
    }

    @Test
    void trainPrintsSamplesPerSecondOfTheMlp() throws IOException {
        JsonNode o = json(Cli.run("bench", "train", "--data", "synthetic", "--samples", "300", "--epochs", "2",
                "--warmup-epochs", "0", "--threads", "2", "--json"));
        assertEquals("train", o.get("benchmark").textValue());
        assertEquals("synthetic", o.get("data").textValue());
        assertEquals(300, o.get("samples").intValue());
        assertEquals(128, o.get("batch_size").intValue());
        assertEquals(2, o.get("threads").intValue());
        assertEquals(2, o.get("epoch_seconds").size());
        assertTrue(o.get("network").textValue().startsWith("784-512-512-10"), o.toString());
        assertTrue(o.get("samples_per_second").doubleValue() > 0, o.toString());
        assertTrue(Double.isFinite(o.get("final_loss").doubleValue()), o.toString());
    }

    @Test
    void unfusedBuildsSeparateReluLayers() throws IOException {
        JsonNode o = json(Cli.run("bench", "train", "--data", "synthetic", "--samples", "256", "--epochs", "1",
                "--warmup-epochs", "0", "--unfused", "--json"));
        assertTrue(o.get("network").textValue().contains("separate relu"), o.toString());
        assertTrue(o.get("samples_per_second").doubleValue() > 0, o.toString());
    }

    @Test
    void trainRejectsUnknownData() {
        Cli r = Cli.run("bench", "train", "--data", "imagenet");
        assertEquals(Main.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--data must be fashion-mnist or synthetic, got 'imagenet'"), r.err());
    }

    @Test
    void inferPrintsLatencyAndThroughput() throws IOException {
        JsonNode o = json(Cli.run(args(QUICK, "bench", "infer", "--batch-size", "3", "--json")));
        assertEquals("infer", o.get("benchmark").textValue());
        assertEquals(3, o.get("batch_size").intValue());
        double perSecond = o.get("samples_per_second").doubleValue();
        double latency = o.get("latency_us").doubleValue();
        assertTrue(perSecond > 0 && latency > 0, o.toString());
        assertEquals(3e6 / perSecond, latency, 0.01 * latency + 0.1, "latency = batch / throughput: " + o);
    }

    @Test
    void peakPrintsTheMultiplyAddRateOfTheVectorWidth() throws IOException {
        for (String threads : new String[] {"1", "2"}) {
            JsonNode o = json(Cli.run(args(QUICK, "bench", "peak", "--threads", threads, "--json")));
            assertEquals("peak", o.get("benchmark").textValue());
            assertEquals(Integer.parseInt(threads), o.get("threads").intValue());
            assertEquals(32 * o.get("lanes").intValue(), o.get("vector_bits").intValue(), o.toString());
            assertTrue(o.get("gflops").doubleValue() > 0, o.toString());
        }
        Cli seconds = Cli.run("bench", "peak", "--seconds", "0");
        assertEquals(Main.USAGE, seconds.exitCode(), seconds.toString());
        assertTrue(seconds.err().contains("--seconds must be a positive number, got 0"), seconds.err());
    }

    /** The chains really run: their sum is that of the same multiply-adds done one float at a time. */
    @Test
    void peakChainsComputeTheirMultiplyAdds() {
        int steps = 1000;
        float expected = 0f;
        float[] chain = new float[BenchPeakCommand.CHAINS];
        for (int c = 0; c < chain.length; c++) {
            chain[c] = c;
            for (int i = 0; i < steps; i++) chain[c] = Math.fma(chain[c], 0.999999f, 1e-7f);
        }
        for (float value : chain) expected += value; // the vector sum adds the chains in this order
        assertEquals(expected, BenchPeakCommand.fmaChains(steps));
        assertEquals(66f, BenchPeakCommand.fmaChains(0), "no steps: the sum of the starting values 0 to 11");
    }

    @Test
    void benchAloneAsksForABenchmark() {
        Cli r = Cli.run("bench");
        assertEquals(Main.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("use one of gemm, train, infer, peak"), r.err());
    }
}
