package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.data.DataSources;
import dev.propel.data.TrainTest;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import dev.propel.train.ff.ForwardForwardConfig;
import dev.propel.train.ff.ForwardForwardResult;
import dev.propel.train.ff.ForwardForwardTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures and the three forms (console, JSON, HTML) of a comparison, on two small models trained on the sample. */
class CompareReportTest {
    static ModelComparison comparison;
    static List<CompareCommand.TensorDiff> tensorDiffs;
    static Dataset test;

    @BeforeAll
    static void trainTwoModels() {
        TrainTest data = DataSources.resolve("sample");
        Dataset train = data.train().head(2000);
        test = data.test().head(300);
        try (Propel propel = Propel.builder().threads(1).build()) {
            Model bp = propel.build(ModelSpec.builder().input(784).layer("dense", Map.of("units", 32)).layer("relu")
                    .layer("dense", Map.of("units", 10)).loss("cross_entropy").build(), 1);
            TrainingConfig bpConfig = TrainingConfig.builder().epochs(2).batchSize(50).seed(1).build();
            dev.propel.spi.Optimizer adam = propel.optimizer("adam", Map.of());
            TrainingHistory bpHistory = new Trainer(bpConfig).fit(bp, adam, train, test);
            ModelSummary bpSummary = ModelSummary.of(dev.propel.model.SavedModel.builder(propel, bp).optimizer(adam, false)
                    .provenance(dev.propel.model.Provenance.backprop(bpConfig, bpHistory, train, 1)).build());

            Model stack = propel.build(ModelSpec.builder().input(784).layer("dense", Map.of("units", 32)).layer("relu")
                    .layer("dense", Map.of("units", 32)).layer("relu").loss("cross_entropy").build(), 1);
            ForwardForwardConfig ffConfig = ForwardForwardConfig.builder(TrainingConfig.builder().epochs(2).batchSize(50).seed(1).build(),
                    () -> propel.optimizer("adam", Map.of())).firstCountedBlock(0).build();
            ForwardForwardResult ff = new ForwardForwardTrainer(ffConfig).fit(stack, train, test);

            ComparedModel a = ComparedModel.forwardForward("ff.pb", ff.model(),
                    new ComparedModel.Training(2, ff.history().seconds(), 1, 123L << 20, ff.activationBytes(),
                            ff.history().epochs()), null);
            ComparedModel b = ComparedModel.backprop("bp.pb", bp, new ComparedModel.Training(2, bpHistory.seconds(), 1, -1, -1,
                    bpHistory.epochs()), bpSummary);
            comparison = ModelComparison.compute(a, b, test, "sample");
            tensorDiffs = CompareCommand.tensors(stack.parameters(), bp.parameters());
        }
    }

    @Test
    void figuresAddUp() {
        ModelComparison c = comparison;
        for (ModelComparison.Side s : new ModelComparison.Side[]{c.a(), c.b()}) {
            int total = 0, diagonal = 0;
            for (int t = 0; t < 10; t++) {
                for (int p = 0; p < 10; p++) total += s.confusion()[t][p];
                diagonal += s.confusion()[t][t];
            }
            assertEquals(300, total);
            assertEquals(s.accuracy(), diagonal / 300f, 1e-6);
            assertTrue(s.accuracy() > 0.15f, "above chance (0.1): " + s.model().name() + " " + s.accuracy());
            assertTrue(s.examplesPerSecond() > 0);
        }
        ModelComparison.Agreement g = c.agreement();
        assertEquals(300, g.agree() + g.disagree());
        int same = 0;
        for (int i = 0; i < 300; i++) if (c.a().predictions()[i] == c.b().predictions()[i]) same++;
        assertEquals(same, g.agree());
        // Where both are right they agree, so each model's correct answers split into agreed and disagreed ones.
        int aCorrect = Math.round(c.a().accuracy() * 300);
        int bCorrect = Math.round(c.b().accuracy() * 300);
        assertEquals(aCorrect - g.aRight(), bCorrect - g.bRight(), "correct answers shared by both");
        assertEquals(g.disagree(), g.aRight() + g.bRight() + g.bothWrong());
        assertEquals(784 * 32 + 32 + 32 * 32 + 32, c.a().model().parameterCount());
        assertEquals("dense_0.weight", c.a().weights().getFirst().name());
        assertEquals(java.util.List.of(32, 784), c.a().weights().getFirst().shape());
    }

    @Test
    void consoleTableShowsBothModelsSideBySide() {
        String text = CompareConsole.render(comparison);
        assertTrue(text.contains("Comparison on sample (300 test examples)"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("algorithm") && l.contains("forward-forward") && l.contains("backprop")), text);
        assertTrue(text.contains("summed goodness (sum of squares) of layers 0..1"), text);
        assertTrue(text.contains("123.0 MiB") && text.contains("not recorded"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("activation memory") && l.contains("MiB") && l.contains("not recorded")), text);
        assertTrue(text.contains("Agreement: both predict the same class for"), text);
        assertTrue(text.contains("0 T-shirt/top") && text.contains("9 Ankle boot"), text);
        assertTrue(text.contains("Confusion matrix of ff.pb") && text.contains("Weights of bp.pb"), text);
        // Architecture and settings come from the file; the FF side here has none.
        assertTrue(text.lines().anyMatch(l -> l.startsWith("layers") && l.contains("not recorded") && l.endsWith("  3")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("batch size") && l.contains("not recorded") && l.endsWith("50")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("optimizer") && l.contains("adam {") && l.contains("learning_rate=0.001")), text);
    }

    @Test
    void jsonHoldsEveryFigure() throws Exception {
        JsonNode root = new ObjectMapper().readTree(Json.write(CompareJson.toJson(comparison)));
        assertEquals("compare", root.get("command").textValue());
        assertEquals(2, root.get("models").size());
        JsonNode ff = root.get("models").get(0);
        assertEquals("forward-forward", ff.get("algorithm").textValue());
        assertEquals(10, ff.get("per_class_accuracy").size());
        assertEquals(10, ff.get("confusion").size());
        assertEquals(123L << 20, ff.get("training").get("peak_live_heap_bytes").longValue());
        assertTrue(root.get("models").get(1).get("training").get("peak_live_heap_bytes").isNull());
        assertTrue(ff.get("training").get("activation_bytes").longValue() > 0);
        assertTrue(root.get("models").get(1).get("training").get("activation_bytes").isNull());
        assertEquals(comparison.agreement().agree(), root.get("agreement").get("same_prediction").intValue());
        assertEquals(4, ff.get("weights").size());
        assertTrue(ff.get("architecture").isNull() && ff.get("settings").isNull(), "no file, no summary");
        JsonNode bp = root.get("models").get(1);
        assertEquals(3, bp.get("architecture").get("layers").size());
        assertEquals("dense", bp.get("architecture").get("layers").get(0).get("type").textValue());
        assertEquals("[32]", bp.get("architecture").get("layers").get(0).get("output_shape").toString());
        assertEquals(784 * 32 + 32, bp.get("architecture").get("layers").get(0).get("parameters").longValue());
        assertEquals("50", bp.get("settings").get("batch size").textValue());
    }

    @Test
    void htmlPageIsSelfContainedWithRealCharts() throws Exception {
        String html = CompareHtml.render(comparison, new CompareHtml.Origin("./propel compare ff.pb bp.pb --data sample --report 'my report.html'",
                java.time.Instant.parse("2026-11-30T12:34:56.789Z"), List.of("layers[2]: dense in ff.pb, relu in bp.pb"), tensorDiffs));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "nothing fetched, no script");
        Matcher m = Pattern.compile("alt=\"([^\"]*)\"[^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int images = 0;
        StringBuilder titles = new StringBuilder();
        while (m.find()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(2))));
            assertNotNull(image, "a decodable PNG for " + m.group(1));
            assertTrue(image.getWidth() >= 600, m.group(1) + " " + image.getWidth());
            titles.append(m.group(1)).append('|');
            images++;
        }
        // three training-curve charts, per-class bars, two confusion heat maps
        assertEquals(6, images, titles.toString());
        assertTrue(titles.toString().contains("Confusion matrix: ff.pb"), titles.toString());
        assertTrue(html.contains("<h2>Agreement</h2>") && html.contains("<h2>Weights</h2>"));
        assertTrue(html.contains("<h2>Training settings</h2>") && html.contains("<h2>Architecture</h2>"));
        assertTrue(html.contains("input [784]; 3 layers: 2 dense, 1 relu"), "the architecture line of bp.pb");
        assertTrue(html.contains("<td>dense_2</td><td>dense</td><td>relu_1</td><td>[10]</td><td>330</td>"), "a layer row");
        // How it was made: version, date (to the second) and the command line.
        assertTrue(html.contains("Made by Propel " + dev.propel.model.PropelVersion.current() + " on 2026-11-30T12:34:56Z with: "
                + "<code>./propel compare ff.pb bp.pb --data sample --report &#39;my report.html&#39;</code>"), html.substring(0, 2000));
        // The files' own differences, as the console shows them.
        assertTrue(html.contains("<h2>File differences</h2>") && html.contains("<li>layers[2]: dense in ff.pb, relu in bp.pb</li>"));
        assertTrue(html.contains("<tr><td>dense_0.weight</td><td>[32, 784]</td><td>"), "a tensor row");
        assertTrue(html.contains("<td>dense_2.weight</td><td>[32, 32] in ff.pb, [10, 32] in bp.pb</td>"), "a tensor of another shape");
        // Both confusion matrices in one two-column row; a note where the figures are not comparable.
        int pair = html.indexOf("<div class=\"pair\">");
        assertTrue(pair > 0 && html.indexOf("Confusion matrix: ff.pb", pair) > pair && html.indexOf("Confusion matrix: bp.pb", pair) > pair
                && html.indexOf("</div>", pair) > html.indexOf("Confusion matrix: bp.pb", pair), "side by side");
        assertTrue(html.contains("Not comparable: the test losses."), "FF's loss next to cross-entropy is flagged");
        assertTrue(html.contains("The training losses are not comparable across algorithms"));
    }
}
