package dev.propel.train.schedule;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;

/**
 * {@code warmup}: for the first {@code warmup_steps} steps the factor of the base rate rises linearly
 * from {@code start_factor} towards 1 (PyTorch's {@code LinearLR(start_factor, total_iters=warmup_steps)}),
 * then the wrapped schedule runs from its own step 0 over the remaining steps, as PyTorch's
 * {@code SequentialLR} hands over at a milestone. Without a wrapped schedule the base rate follows.
 */
public final class WarmupSchedule implements ScheduleFactory {
    /** The type id: a linear warm-up from a small rate, then another schedule. */
    public static final String TYPE = "warmup";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "linear warmup from start_factor to the base rate over warmup_steps steps, then the wrapped schedule";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.builder()
                .intAttr("warmup_steps", null, 1, "steps of linear warmup")
                .floatAttr("start_factor", 1f / 3, 0.0, false, 1.0, true, "factor of the base rate at step 0")
                .build();
    }

    @Override
    public boolean wrapsAnother() {
        return true;
    }

    @Override
    public Schedule create(Attributes attributes, Schedule wrapped) {
        return new Warmup(attributes, attributes.getInt("warmup_steps"), attributes.getFloat("start_factor"), wrapped);
    }

    private record Warmup(Attributes attributes, int warmupSteps, float start, Schedule wrapped) implements Schedule {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public float rate(float baseRate, long step, long totalSteps) {
            if (step < warmupSteps) {
                return (float) (baseRate * (start + (1.0 - start) * step / warmupSteps));
            }
            return wrapped == null ? baseRate : wrapped.rate(baseRate, step - warmupSteps, Math.max(0, totalSteps - warmupSteps));
        }
    }
}
