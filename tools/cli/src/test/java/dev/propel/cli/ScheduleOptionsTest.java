package dev.propel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.propel.cli.ModelCommandsTest.fails;
import static dev.propel.cli.ModelCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --lr-schedule as a type id with --lr-schedule-arg, as JSON, per batch; saved with the model and resumed exactly. */
class ScheduleOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 20 batches of warmup, then cosine over 150 batches; the sample has 6000 examples, 60 batches of 100 per epoch. */
    private static final String WARMUP_COSINE =
            "{\"type\": \"warmup\", \"warmup_steps\": 20, \"start_factor\": 0.1, \"then\": {\"type\": \"cosine\", \"t_max\": 150}}";

    @TempDir
    static Path dir;
    static Path spec;

    @BeforeAll
    static void writeSpec() throws IOException {
        spec = Files.writeString(dir.resolve("tiny.json"), """
                {"input": [784], "layers": [{"type": "dense", "units": 8}, {"type": "relu"}, {"type": "dense", "units": 10}],
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "sgd", "learning_rate": 0.1}}""");
    }

    private static String[] train(int epochs, Path out, String... more) {
        String[] base = {"--threads", "1", "train", "--spec", spec.toString(), "--data", "sample", "--epochs", String.valueOf(epochs),
                "--batch-size", "100", "--seed", "3", "--json", "--out", out.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void aTypeIdWithArgumentsSetsTheRatePerEpoch() throws IOException {
        JsonNode r = JSON.readTree(ok(train(2, dir.resolve("step.pb"), "--lr-schedule", "step", "--lr-schedule-arg", "step_size=1",
                "--lr-schedule-arg", "gamma=0.5")).out());
        assertEquals("step(step_size=1, gamma=0.5)", r.get("lr_schedule").textValue());
        assertEquals(0.1f, r.get("epochs").get(0).get("learning_rate").floatValue());
        assertEquals(0.05f, r.get("epochs").get(1).get("learning_rate").floatValue());
        String inspect = ok("inspect", dir.resolve("step.pb").toString()).out();
        assertTrue(inspect.contains("learning-rate schedule: step step_size=1, gamma=0.5, per epoch, 2 steps taken"), inspect);
    }

    @Test
    void aJsonSchedulePerBatchResumesExactly() throws IOException {
        Path two = dir.resolve("two.pb");
        Path three = dir.resolve("three.pb");
        Path resumed = dir.resolve("resumed.json");
        JsonNode r = JSON.readTree(ok(train(2, two, "--lr-schedule", WARMUP_COSINE, "--lr-schedule-per", "batch")).out());
        assertEquals("warmup(warmup_steps=20, start_factor=0.1) > cosine(t_max=150) per batch", r.get("lr_schedule").textValue());
        // Epoch 1 starts at warmup step 0 (0.1 · 0.1); epoch 2 at batch 60, cosine step 40: 0.05·(1 + cos(40π/150)).
        assertEquals(0.01f, r.get("epochs").get(0).get("learning_rate").floatValue(), 1e-7f);
        assertEquals((float) (0.1 * 0.5 * (1 + Math.cos(Math.PI * 40 / 150))), r.get("epochs").get(1).get("learning_rate").floatValue(),
                1e-7f);
        ok(train(3, three, "--lr-schedule", WARMUP_COSINE, "--lr-schedule-per", "batch"));
        ok("--threads", "1", "train", "--resume", two.toString(), "--data", "sample", "--epochs", "3", "--out", resumed.toString());
        JsonNode c = JSON.readTree(ok("compare", three.toString(), resumed.toString(), "--data", "sample", "--json").out());
        for (JsonNode t : c.get("tensors")) assertEquals(0, t.get("different_values").asLong(), t.toString());
        JsonNode schedule = JSON.readTree(ok("inspect", resumed.toString(), "--json").out()).get("provenance").get("schedule");
        assertEquals("batch", schedule.get("per").textValue());
        assertEquals(180, schedule.get("step").asLong());
        assertEquals("cosine", schedule.get("chain").get(1).get("type").textValue());
        assertEquals(150, schedule.get("chain").get(1).get("attributes").get("t_max").asInt());
    }

    @Test
    void aFileFromBeforeSchedulesWereSavedResumesWithItsRecordedShortForm() throws Exception {
        Path current = dir.resolve("current.pb");
        ok(train(2, current, "--lr-schedule", "step:1:0.5"));
        // What older versions wrote: the --lr-schedule text in the settings, no schedule record.
        dev.propel.model.SavedModel saved = dev.propel.model.ModelFiles.read(current);
        assertEquals("step:1:0.5", saved.provenance().settings().get("lr_schedule"));
        Path old = dir.resolve("old.pb");
        dev.propel.model.ModelFiles.save(saved.withProvenance(saved.provenance().withSchedule(null)), old);
        JsonNode r = JSON.readTree(ok("--threads", "1", "train", "--resume", old.toString(), "--data", "sample", "--epochs", "3",
                "--json").out());
        assertEquals("step:1:0.5", r.get("lr_schedule").textValue());
        assertEquals(0.025f, r.get("epochs").get(0).get("learning_rate").floatValue(), "epoch 3: 0.1 · 0.5²");
    }

    @Test
    void pluginsListsTheCoreSchedules() throws IOException {
        String text = ok("plugins").out();
        assertTrue(text.contains("core (built in)\n  schedules:  constant, step, cosine, linear, linear_half, warmup"), text);
        String described = ok("plugins", "--describe").out();
        assertTrue(described.contains("    cosine - cosine annealing from the base rate to eta_min over t_max steps"), described);
        JsonNode json = JSON.readTree(ok("plugins", "--json").out());
        assertEquals("warmup", json.get("core").get("schedules").get(5).textValue());
    }

    @Test
    void aResumedRunKeepsTheSavedSchedule() throws IOException {
        Path two = dir.resolve("keep.pb");
        ok(train(2, two, "--lr-schedule", "cosine", "--lr-schedule-arg", "t_max=4"));
        assertTrue(fails(2, "train", "--resume", two.toString(), "--data", "sample", "--epochs", "3", "--lr-schedule-per", "batch")
                .contains("--lr-schedule-per cannot be changed when resuming"));
        assertTrue(fails(2, "train", "--resume", two.toString(), "--data", "sample", "--epochs", "3", "--lr-schedule-arg", "t_max=9")
                .contains("--lr-schedule-arg cannot be changed when resuming"));
    }
}
