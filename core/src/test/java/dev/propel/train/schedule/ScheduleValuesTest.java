package dev.propel.train.schedule;

import dev.propel.model.ComponentSpec;
import dev.propel.spi.AttributeException;
import dev.propel.spi.Schedule;
import dev.propel.spi.UnknownTypeException;
import dev.propel.train.ComponentSchedule;
import dev.propel.train.LearningRateSchedule;
import dev.propel.train.ScheduleUnit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every core schedule against PyTorch's formulas, with the expected values derived by hand (the
 * closed forms of torch.optim.lr_scheduler; each comment gives the arithmetic).
 */
class ScheduleValuesTest {

    private static Schedule schedule(String type, Map<String, ?> attributes) {
        return Schedules.builtIn(type, attributes);
    }

    private static void assertRates(Schedule s, float base, long total, double... expected) {
        for (int t = 0; t < expected.length; t++) {
            assertEquals((float) expected[t], s.rate(base, t, total), 1e-7f, s.typeId() + " at step " + t);
        }
    }

    @Test
    void constantIsTheBaseRate() {
        assertRates(schedule("constant", Map.of()), 0.3f, 5, 0.3, 0.3, 0.3, 0.3, 0.3);
    }

    @Test
    void stepMatchesStepLR() {
        // StepLR(step_size=3, gamma=0.5), base 0.1: 0.1·0.5^⌊t/3⌋
        assertRates(schedule("step", Map.of("step_size", 3, "gamma", 0.5)), 0.1f, 100,
                0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025);
        // gamma defaults to 0.1 as in PyTorch: t = 2 → 1·0.1^1 (step_size 2)
        assertEquals(0.1f, schedule("step", Map.of("step_size", 2)).rate(1f, 2, 10), 1e-7f);
    }

    @Test
    void cosineMatchesCosineAnnealingLR() {
        // CosineAnnealingLR(T_max=10, eta_min=0.001), base 0.1: 0.001 + 0.099·(1 + cos(π t/10))/2
        // t=2: cos(π/5) = 0.80901699 → 0.001 + 0.099·0.90450850 = 0.09054634; t=5: 0.001 + 0.0495 = 0.0505
        Schedule s = schedule("cosine", Map.of("t_max", 10, "eta_min", 0.001));
        assertEquals(0.1f, s.rate(0.1f, 0, 999), 1e-7f);
        assertEquals(0.09054634f, s.rate(0.1f, 2, 999), 1e-7f);
        assertEquals(0.0505f, s.rate(0.1f, 5, 999), 1e-7f);
        assertEquals(0.001f, s.rate(0.1f, 10, 999), 1e-7f);
        // Past T_max the closed form rises again (cos(1.5π) = 0), as PyTorch's does.
        assertEquals(0.0505f, s.rate(0.1f, 15, 999), 1e-7f);
        // t_max 0 spans the run: over 4 steps, t=2 is halfway: 1·(1 + cos(π/2))/2 = 0.5
        assertEquals(0.5f, schedule("cosine", Map.of()).rate(1f, 2, 4), 1e-7f);
    }

    @Test
    void linearMatchesLinearLR() {
        // LinearLR(start_factor=0.25, end_factor=1, total_iters=4), base 0.1:
        // 0.1·(0.25 + 0.75·min(t, 4)/4) = 0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1
        assertRates(schedule("linear", Map.of("start_factor", 0.25, "total_iters", 4)), 0.1f, 100,
                0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1);
        // A decay: start 1, end 0.1 over 3: 1, 0.7, 0.4, 0.1, 0.1
        assertRates(schedule("linear", Map.of("start_factor", 1.0, "end_factor", 0.1, "total_iters", 3)), 1f, 100,
                1, 0.7, 0.4, 0.1, 0.1);
        // PyTorch's defaults: start_factor 1/3, total_iters 5: t=0 → base/3
        assertEquals(1f / 3, schedule("linear", Map.of()).rate(1f, 0, 100), 1e-7f);
    }

    @Test
    void linearHalfIsHintonsSchedule() {
        // 4 steps: 1-based s ≤ 2 → base; s = 3 → (1 + 2·1)/4 = 0.75; s = 4 → 1/4
        assertRates(schedule("linear_half", Map.of()), 1f, 4, 1, 1, 0.75, 0.25);
    }

    @Test
    void warmupThenCosineMatchesSequentialLR() {
        // SequentialLR([LinearLR(start_factor=0.1, total_iters=3), CosineAnnealingLR(T_max=4)], milestones=[3]), base 1:
        // t<3: 0.1 + 0.9·t/3 = 0.1, 0.4, 0.7; then cosine from its step 0: 1, (1 + cos(π/4))/2 = 0.85355339, 0.5,
        // (1 + cos(3π/4))/2 = 0.14644661, 0
        Schedule s = Schedules.build(List.of(ComponentSpec.of("warmup", Map.of("warmup_steps", 3, "start_factor", 0.1)),
                ComponentSpec.of("cosine", Map.of("t_max", 4))), Schedules::builtIn);
        assertRates(s, 1f, 100, 0.1, 0.4, 0.7, 1, 0.85355339, 0.5, 0.14644661, 0);
        assertEquals("cosine", s.wrapped().typeId());
        // The wrapped schedule spans what is left of the run: warmup 2 of 6 steps, then linear_half over 4.
        Schedule w = Schedules.build(List.of(ComponentSpec.of("warmup", Map.of("warmup_steps", 2, "start_factor", 0.5)),
                ComponentSpec.of("linear_half")), Schedules::builtIn);
        assertRates(w, 1f, 6, 0.5, 0.75, 1, 1, 0.75, 0.25);
        // Alone, a warmup hands over to the base rate.
        assertRates(schedule("warmup", Map.of("warmup_steps", 2, "start_factor", 0.5)), 1f, 10, 0.5, 0.75, 1, 1);
    }

    @Test
    void perBatchCountsBatchesAcrossEpochsPerEpochCountsEpochs() {
        Schedule cos = schedule("cosine", Map.of("t_max", 20));
        ComponentSchedule perBatch = LearningRateSchedule.of(cos, ScheduleUnit.BATCH);
        ComponentSchedule perEpoch = LearningRateSchedule.of(cos, ScheduleUnit.EPOCH);
        // Epoch 1 (from 0), batch 2 of 5 is step 7.
        assertEquals(cos.rate(1f, 7, 50), perBatch.rate(1f, 1, 2, 5, 10));
        assertEquals(cos.rate(1f, 1, 10), perEpoch.rate(1f, 1, 2, 5, 10));
        assertEquals(cos.rate(1f, 1, 10), perEpoch.rate(1f, 1, 10));
        var e = assertThrows(IllegalStateException.class, () -> perBatch.rate(1f, 1, 10));
        assertTrue(e.getMessage().contains("steps per batch"), e.getMessage());
        // A total-run schedule stepped per batch spans epochs × batches: linear_half over 2 epochs of 2 batches.
        ComponentSchedule half = LearningRateSchedule.of(schedule("linear_half", Map.of()), ScheduleUnit.BATCH);
        assertEquals(0.75f, half.rate(1f, 1, 0, 2, 2));
        assertEquals(0.25f, half.rate(1f, 1, 1, 2, 2));
    }

    @Test
    void theShortFormsKeepTheirFormerValues() {
        // The formulas LearningRateSchedule.parse implemented before schedules were data.
        for (int epoch = 0; epoch < 10; epoch++) {
            int e = epoch;
            assertEquals((float) (0.1f * Math.pow(0.5f, epoch / 2)), LearningRateSchedule.parse("step:2:0.5").rate(0.1f, e, 10));
            assertEquals((float) (0.01f + (0.1f - 0.01f) * 0.5 * (1 + Math.cos(Math.PI * epoch / 10))),
                    LearningRateSchedule.parse("cosine:0.01").rate(0.1f, e, 10));
            int oneBased = epoch + 1;
            float half = oneBased <= 10 / 2.0 ? 0.1f : 0.1f * (1 + 2f * (10 - oneBased)) / 10;
            assertEquals(half, LearningRateSchedule.parse("linear-half").rate(0.1f, e, 10));
        }
        assertEquals("step", LearningRateSchedule.parse("step:3:0.5").schedule().typeId());
        assertEquals(Map.of("step_size", 3, "gamma", 0.5f), LearningRateSchedule.parse("step:3:0.5").schedule().attributes().asMap());
        assertEquals(ScheduleUnit.EPOCH, LearningRateSchedule.parse("constant").per());
    }

    @Test
    void theDataFormRoundTrips() {
        List<ComponentSpec> chain = List.of(ComponentSpec.of("warmup", Map.of("warmup_steps", 4)),
                ComponentSpec.of("step", Map.of("step_size", 2, "gamma", 0.5)));
        Schedule s = Schedules.build(chain, Schedules::builtIn);
        List<ComponentSpec> resolved = Schedules.chainOf(s);
        assertEquals(List.of(ComponentSpec.of("warmup", Map.of("warmup_steps", 4, "start_factor", 1f / 3)),
                ComponentSpec.of("step", Map.of("step_size", 2, "gamma", 0.5f))), resolved);
        Schedule again = Schedules.build(resolved, Schedules::builtIn);
        for (int t = 0; t < 12; t++) assertEquals(s.rate(0.2f, t, 12), again.rate(0.2f, t, 12));
        assertNull(again.wrapped().wrapped());
    }

    @Test
    void badSchedulesAreRefusedNamingWhatIsWrong() {
        var unknown = assertThrows(UnknownTypeException.class, () -> schedule("exponential", Map.of()));
        assertTrue(unknown.getMessage().contains("unknown learning-rate schedule type 'exponential'; known schedule types: "
                + "constant, step, cosine, linear, linear_half, warmup"), unknown.getMessage());
        var missing = assertThrows(AttributeException.class, () -> schedule("step", Map.of("gamma", 0.5)));
        assertTrue(missing.getMessage().contains("schedule 'step': attribute 'step_size'"), missing.getMessage());
        assertTrue(missing.getMessage().contains("is required"), missing.getMessage());
        var typo = assertThrows(AttributeException.class, () -> schedule("cosine", Map.of("tmax", 10)));
        assertTrue(typo.getMessage().contains("unknown attribute 'tmax'; valid attributes are t_max (an integer), eta_min (a number)"),
                typo.getMessage());
        var range = assertThrows(AttributeException.class, () -> schedule("linear", Map.of("start_factor", 0)));
        assertTrue(range.getMessage().contains("'start_factor' must be > 0 and <= 1 but got 0.0"), range.getMessage());
        var wraps = assertThrows(AttributeException.class, () -> Schedules.build(
                List.of(ComponentSpec.of("cosine"), ComponentSpec.of("constant")), Schedules::builtIn));
        assertTrue(wraps.getMessage().contains("schedule 'cosine' does not wrap another schedule, but 'constant' was given after it"),
                wraps.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schedules.build(List.of(), Schedules::builtIn));
        var per = assertThrows(IllegalArgumentException.class, () -> ScheduleUnit.parse("step"));
        assertTrue(per.getMessage().contains("per 'epoch' or per 'batch', not 'step'"), per.getMessage());
    }
}
