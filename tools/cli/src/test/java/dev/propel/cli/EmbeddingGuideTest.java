package dev.propel.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/embedding.md as a reader uses it: every {@code ```java} block is extracted from the page, compiled as the
 * file it is, and run in the order of the page, with the {@code ```csv} block written to {@code points.csv}. The
 * page is the only copy of the code, so it cannot drift from what works.
 */
class EmbeddingGuideTest {
    private static final Path GUIDE = Path.of("../../docs/embedding.md").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("(?m)^```(java|csv)\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("(?m)^public class (\\w+)");

    @TempDir
    static Path dir;
    private static final Map<String, String> SOURCES = new LinkedHashMap<>();
    private static String csv;
    private static ClassLoader compiled;

    @BeforeAll
    static void extractAndCompile() throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(GUIDE));
        while (m.find()) {
            if (m.group(1).equals("csv")) {
                csv = m.group(2);
                continue;
            }
            Matcher name = CLASS.matcher(m.group(2));
            assertTrue(name.find(), "every java block of " + GUIDE + " is a whole file with a public class:\n" + m.group(2));
            SOURCES.put(name.group(1), m.group(2));
        }
        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : SOURCES.entrySet()) {
            files.add(Files.writeString(src.resolve(e.getKey() + ".java"), e.getValue()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> problems = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(problems, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "25", "-Xlint:all", "-Werror",
                    "-cp", System.getProperty("java.class.path"), "-d", classes.toString());
            boolean ok = javac.getTask(null, fm, problems, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            assertTrue(ok, "the guide's code compiles without warnings: " + problems.getDiagnostics());
        }
        compiled = new URLClassLoader(new URL[] {classes.toUri().toURL()}, EmbeddingGuideTest.class.getClassLoader());
    }

    /** Runs {@code main(args)} of the guide's class {@code name}, returning what it printed on stdout. */
    private static String run(String name, String... args) throws Exception {
        assertTrue(SOURCES.containsKey(name), "the guide has a class " + name + "; it has " + SOURCES.keySet());
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
             PrintStream captureErr = new PrintStream(errors, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(captureErr);
            compiled.loadClass(name).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(name + " failed; it printed:\n" + printed.toString(StandardCharsets.UTF_8), e.getCause());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        out.print(text);
        assertTrue(!errors.toString(StandardCharsets.UTF_8).contains("Exception"), name + " reported an error: " + errors);
        return text;
    }

    @Test
    void everyExampleOfTheGuideRunsInItsOrder() throws Exception {
        assertEquals(List.of("TrainAndSave", "LoadAndPredict", "CsvTraining", "ConcurrentPredict", "Errors"),
                List.copyOf(SOURCES.keySet()), "each class of the guide is run below; a new one needs its checks here");

        String trained = run("TrainAndSave", dir.toString());
        assertTrue(trained.contains("50890 parameters"), trained);
        assertTrue(trained.contains("epoch 1/2: loss ") && trained.contains("epoch 2/2: loss "), trained);
        for (String file : List.of("model.pb", "model.json", "model.onnx")) {
            assertTrue(Files.size(dir.resolve(file)) > 50_000, file + " holds the parameters");
        }

        String predicted = run("LoadAndPredict", dir.toString());
        Matcher accuracy = Pattern.compile("(model\\.\\w+): input \\[784], output \\[1000, 10], accuracy (0\\.\\d+)").matcher(predicted);
        List<String> accuracies = new ArrayList<>();
        while (accuracy.find()) accuracies.add(accuracy.group(2));
        assertEquals(3, accuracies.size(), predicted);
        assertTrue(accuracies.stream().distinct().count() == 1, "all three formats give the same model: " + predicted);
        assertTrue(Float.parseFloat(accuracies.getFirst()) > 0.7f, predicted);

        assertTrue(csv != null && csv.startsWith("x,y,label\n"), "the guide shows points.csv");
        Path points = Files.writeString(dir.resolve("points.csv"), csv);
        String fromCsv = run("CsvTraining", points.toString());
        assertTrue(fromCsv.contains("12 examples, [2] features, 2 classes"), fromCsv);
        assertTrue(fromCsv.contains("training accuracy 12/12"), fromCsv);

        String concurrent = run("ConcurrentPredict", dir.toString());
        assertTrue(concurrent.contains("4 threads agree on 1000 predictions; sessions agree on 1000"), concurrent);

        String errors = run("Errors");
        assertTrue(errors.contains("unknown type 'rleu': ") && errors.contains("relu"), errors);
        assertTrue(errors.contains("bad attribute: ") && errors.contains("units"), errors);
        assertTrue(errors.contains("no model: there is no model file no-such-dir/model.pb"), errors);
        assertTrue(errors.contains("bad data: ") && errors.contains("inline.csv") && errors.contains("line 3"), errors);
    }
}
