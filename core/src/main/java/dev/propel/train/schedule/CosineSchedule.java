package dev.propel.train.schedule;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;

/**
 * {@code cosine}: {@code eta_min + (base − eta_min)·(1 + cos(π·t / T))/2}, the closed form of PyTorch's
 * {@code CosineAnnealingLR} with {@code T = t_max}, or the run's total steps when {@code t_max} is 0
 * (then the last step runs just above {@code eta_min}). Past {@code T} the curve rises again, as PyTorch's does.
 */
public final class CosineSchedule implements ScheduleFactory {
    /** The type id: cosine annealing from the base rate down to a minimum. */
    public static final String TYPE = "cosine";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "cosine annealing from the base rate to eta_min over t_max steps (PyTorch CosineAnnealingLR)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.builder()
                .intAttr("t_max", 0, 0, "steps of the half cosine period; 0 = the whole run")
                .nonNegativeFloat("eta_min", 0f, "the rate at the end of the period")
                .build();
    }

    @Override
    public Schedule create(Attributes attributes, Schedule wrapped) {
        return new Cosine(attributes, attributes.getInt("t_max"), attributes.getFloat("eta_min"));
    }

    private record Cosine(Attributes attributes, int tMax, float etaMin) implements Schedule {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public float rate(float baseRate, long step, long totalSteps) {
            long period = tMax > 0 ? tMax : Math.max(1, totalSteps);
            return (float) (etaMin + (baseRate - etaMin) * 0.5 * (1 + Math.cos(Math.PI * step / period)));
        }
    }
}
