package dev.propel.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every CLI command over the generated hostile corpus ({@link HostileCorpus}): each run ends with exit
 * 1 or 2 and exactly one {@code propel: error:} line naming no Java exception, in bounded time, and
 * afterwards every file that existed before is byte for byte the same (and nothing was written).
 * The huge-header files run in a child JVM with {@code -Xmx256m}.
 */
class HostileCorpusTest {
    /** A Java exception or error class name, e.g. "NullPointerException" or "java.lang.OutOfMemoryError". */
    private static final Pattern JAVA_EXCEPTION = Pattern.compile("[A-Za-z]+(Exception|Error)\\b|\\bjava\\.[a-z]+\\.");

    @TempDir
    static Path dir;
    static Path corpus;
    static Path good;
    static Path goodJson;
    static Path spec;
    static Path goodCsv;
    static Map<Path, String> before;

    @BeforeAll
    static void generate() throws IOException {
        TinyRun run = TinyRun.in(dir, "good.pb");
        spec = run.spec();
        good = run.model();
        goodJson = dir.resolve("good.json");
        ModelCommandsTest.ok("convert", good.toString(), goodJson.toString());
        goodCsv = Files.writeString(dir.resolve("good.csv"), "0,".repeat(783) + "0\n");
        corpus = dir.resolve("hostile");
        HostileCorpus.write(good, goodJson, corpus);
        before = snapshot();
    }

    @AfterAll
    static void nothingChanged() throws IOException {
        if (before != null) assertEquals(before, snapshot(), "every file byte-identical and no file added");
    }

    private static Map<Path, String> snapshot() throws IOException {
        Map<Path, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) digests.put(dir.relativize(f), sha256(f));
        }
        return digests;
    }

    private static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Path> files(String sub, String ext) throws IOException {
        try (Stream<Path> s = Files.list(corpus.resolve(sub))) {
            return s.filter(p -> p.getFileName().toString().endsWith(ext) && !p.getFileName().toString().startsWith("huge-legal"))
                    .sorted().toList();
        }
    }

    /** One error line, exit 1 or 2, no Java exception name, within the time limit. */
    private static void refusedCleanly(String... args) {
        Cli r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Cli.run(args), () -> "bounded time: " + String.join(" ", args));
        check(String.join(" ", args), r.exitCode(), r.out(), r.errLines());
    }

    private static void check(String what, int exitCode, String out, List<String> errLines) {
        assertTrue(exitCode == 1 || exitCode == 2, what + ": exit " + exitCode + "\n" + errLines);
        List<String> errors = errLines.stream().filter(l -> l.startsWith("propel: error: ")).toList();
        assertEquals(1, errors.size(), what + ": exactly one error line in " + errLines);
        assertEquals(errors.getFirst(), errLines.getLast(), what + ": the error is the last line");
        assertFalse(JAVA_EXCEPTION.matcher(errors.getFirst()).find(), what + ": a Java exception name in " + errors.getFirst());
        assertTrue(errors.getFirst().length() < 3_000, what + ": a bounded line, not " + errors.getFirst().length() + " chars");
        assertEquals("", out, what + ": nothing on standard output");
    }

    @Test
    void everyModelCommandRefusesEveryHostileModel() throws IOException {
        List<Path> models = new ArrayList<>(files("models", ".pb"));
        models.addAll(files("models", ".json"));
        models.addAll(files("models", ".onnx"));
        assertTrue(models.size() >= 19, models.toString());
        Path out = dir.resolve("converted.json");
        for (Path m : models) {
            String f = m.toString();
            // A well-formed file naming a layer type no plugin provides is read without plugins (inspect, convert,
            // compare without --data); only the commands that build the model refuse it.
            if (!m.getFileName().toString().startsWith("unknown-")) {
                refusedCleanly("inspect", f);
                refusedCleanly("convert", f, out.toString());
                refusedCleanly("compare", f, good.toString());
            }
            refusedCleanly("eval", f, "--data", "sample");
            refusedCleanly("predict", f, "--input", goodCsv.toString());
            refusedCleanly("train", "--resume", f, "--data", "sample", "--epochs", "2");
        }
    }

    @Test
    void everyHostileSpecIsRefused() throws IOException {
        for (Path s : files("specs", ".json")) refusedCleanly("train", "--spec", s.toString(), "--data", "sample", "--epochs", "1");
    }

    @Test
    void everyHostileDatasetIsRefused() throws IOException {
        try (Stream<Path> dirs = Files.list(corpus.resolve("data"))) {
            for (Path d : dirs.sorted().toList()) {
                refusedCleanly("train", "--spec", spec.toString(), "--data", d.toString(), "--epochs", "1");
            }
        }
    }

    @Test
    void everyHostileExamplesFileIsRefused() throws IOException {
        for (Path c : files("csv", ".csv")) refusedCleanly("predict", good.toString(), "--input", c.toString());
    }

    @Test
    void noCommandWritesOntoItsInputs() {
        refusedCleanly("train", "--spec", spec.toString(), "--data", "sample", "--epochs", "1", "--out", spec.toString());
        refusedCleanly("convert", good.toString(), good.toString());
        refusedCleanly("compare", good.toString(), goodJson.toString(), "--data", "sample", "--report", good.toString());
        refusedCleanly("train", "--spec", spec.toString(), "--data", corpus.resolve("data/label-16M").toString(), "--out",
                corpus.resolve("data/label-16M/train-labels-idx1-ubyte").toString());
    }

    /** The huge legal header and a huge JSON model in a JVM of 256 MB: refused as too large, never an OutOfMemoryError. */
    @Test
    void hugeHeadersAreRefusedWithinASmallHeap() throws Exception {
        for (Path m : List.of(corpus.resolve("models/huge-legal-header.pb"))) {
            List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx256m",
                    "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "inspect", m.toString());
            Process child = new ProcessBuilder(cmd).start();
            try {
                String out = new String(child.getInputStream().readAllBytes());
                List<String> err = new String(child.getErrorStream().readAllBytes()).lines()
                        .filter(l -> !l.isBlank() && !l.startsWith("WARNING")).toList();
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "bounded time");
                check("inspect " + m + " (-Xmx256m)", child.exitValue(), out, err);
                assertTrue(err.getLast().contains("too large or hostile"), err.getLast());
            } finally {
                child.destroyForcibly();
            }
        }
    }
}
