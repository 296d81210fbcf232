package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.model.ModelFiles;
import dev.propel.model.PredictionRule;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.propel.cli.ModelCommandsTest.fails;
import static dev.propel.cli.ModelCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Forward-Forward model saved by {@code train --out} predicts after loading exactly as right after
 * training (both rules, .pb and .json), and {@code compare} puts it next to a backprop model.
 */
class ForwardForwardFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path ff;
    static Path bp;
    static JsonNode ffTraining;

    @BeforeAll
    static void train() throws IOException {
        Path ffSpec = Files.writeString(dir.resolve("ff.json"), ForwardForwardTrainTest.FF_SPEC);
        ff = dir.resolve("ff.pb");
        ffTraining = JSON.readTree(ok("--threads", "1", "train", "--algorithm", "forward-forward", "--spec", ffSpec.toString(),
                "--data", "sample", "--epochs", "2", "--batch-size", "100", "--first-counted-layer", "0", "--negatives", "hard",
                "--out", ff.toString(), "--json").out());
        Path bpSpec = Files.writeString(dir.resolve("bp.json"), TrainCommandTest.TINY_SPEC);
        bp = dir.resolve("bp.pb");
        ok("--threads", "1", "train", "--spec", bpSpec.toString(), "--data", "sample", "--epochs", "2", "--batch-size", "100",
                "--out", bp.toString());
    }

    @Test
    void evalOfTheSavedModelEqualsTheLastTrainingEpoch() throws IOException {
        JsonNode e = JSON.readTree(ok("eval", ff.toString(), "--data", "sample", "--json").out());
        JsonNode last = ffTraining.get("epochs").get(1);
        assertEquals(last.get("test_accuracy").doubleValue(), e.get("accuracy").doubleValue(), 0, e.toString());
        assertEquals(last.get("test_loss").doubleValue(), e.get("loss").doubleValue(), 1e-6, e.toString());

        Path asJson = dir.resolve("ff-converted.json");
        ok("convert", ff.toString(), asJson.toString());
        JsonNode ej = JSON.readTree(ok("eval", asJson.toString(), "--data", "sample", "--json").out());
        assertEquals(e.get("accuracy").doubleValue(), ej.get("accuracy").doubleValue(), 0, "the .json file predicts the same");
    }

    @Test
    void theFileRecordsTheRuleTheHeadAndTheRun() throws IOException {
        SavedModel saved = ModelFiles.read(ff);
        PredictionRule rule = saved.prediction();
        assertEquals("forward_forward", rule.type());
        assertEquals("goodness", rule.attributes().get("prediction_rule"));
        assertEquals(0, rule.attributes().get("first_counted_block"));
        assertEquals(List.of("ff_head.weight", "ff_head.bias"), rule.tensorNames());
        assertEquals(List.of(256, 10), List.of(saved.parameters().get("ff_head.weight").shape().dim(0),
                saved.parameters().get("ff_head.weight").shape().dim(1)));
        assertEquals("forward_forward", saved.provenance().algorithm());
        assertEquals("hard", saved.provenance().settings().get("negatives"));
        assertTrue(((Number) saved.provenance().settings().get("peak_live_heap_bytes")).longValue() > 0);
        assertEquals(2, saved.provenance().metrics().size());
        assertTrue(ok("inspect", ff.toString()).out().contains("forward_forward"));
    }

    @Test
    void predictUsesTheGoodnessRule() {
        String out = ok("predict", ff.toString(), "--data", "sample", "--limit", "3").out();
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        for (String l : lines) assertTrue(l.matches("\\d\t\\(label \\d\\)"), l);
    }

    @Test
    void compareReportsBothModelsSideBySide() throws IOException {
        Path report = dir.resolve("report.html");
        Cli r = ok("--threads", "1", "compare", ff.toString(), bp.toString(), "--data", "sample", "--json", "--report", report.toString());
        JsonNode c = JSON.readTree(r.out());
        String page = Files.readString(report);
        assertTrue(page.contains("<code>./propel --threads 1 compare " + ff + " " + bp + " --data sample --json --report " + report + "</code>"),
                "the report names the command that made it");
        assertTrue(page.contains("<h2>File differences</h2>"), "and the files' differences");
        JsonNode comparison = c.get("comparison");
        assertEquals("forward-forward", comparison.get("models").get(0).get("algorithm").textValue());
        assertEquals("backprop", comparison.get("models").get(1).get("algorithm").textValue());
        assertEquals(2, comparison.get("models").get(1).get("training").get("epochs").intValue());
        assertTrue(comparison.get("models").get(1).get("training").get("peak_live_heap_bytes").longValue() > 0);
        for (JsonNode m : comparison.get("models")) {
            assertTrue(m.get("training").get("activation_bytes").longValue() > 0, m.get("algorithm") + " records its activation memory");
        }
        JsonNode e = JSON.readTree(ok("eval", ff.toString(), "--data", "sample", "--json").out());
        assertEquals(e.get("accuracy").doubleValue(), c.get("data").get("accuracy_a").doubleValue(), 1e-6);
        String html = Files.readString(report);
        assertTrue(html.contains("Confusion matrix: ff.pb") && html.contains("data:image/png;base64,"), "the report has its charts");

        String text = ok("--threads", "1", "compare", ff.toString(), bp.toString(), "--data", "sample").out();
        assertTrue(text.startsWith("Comparison on sample (1,000 test examples)"), text);
        assertTrue(text.contains("forward-forward") && text.contains("structure: "), text);
    }

    @Test
    void reportNeedsData() {
        assertTrue(fails(2, "compare", ff.toString(), bp.toString(), "--report", dir.resolve("r.html").toString())
                .contains("--report needs --data"));
    }

    @Test
    void aRuleTensorMissingFromTheFileIsNamed() throws IOException {
        SavedModel saved = ModelFiles.read(ff);
        Map<String, Tensor> withoutBias = new LinkedHashMap<>(saved.parameters());
        withoutBias.remove("ff_head.bias");
        Path broken = dir.resolve("broken.pb");
        ModelFiles.save(saved.withTensors(withoutBias, null), broken);
        assertTrue(fails(1, "eval", broken.toString(), "--data", "sample")
                .contains("the prediction rule's tensor 'ff_head.bias' is missing from the file"));
    }

    @Test
    void forwardForwardRunsAreNotResumed() {
        String e = fails(2, "train", "--algorithm", "forward-forward", "--resume", ff.toString(), "--data", "sample", "--epochs", "3");
        assertTrue(e.contains("Forward-Forward runs cannot be resumed"), e);
        assertFalse(e.isEmpty());
    }
}
