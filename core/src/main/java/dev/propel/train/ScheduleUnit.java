package dev.propel.train;

import java.util.Locale;

/** What one step of a learning-rate schedule is: an epoch (the default) or a batch. */
public enum ScheduleUnit {
    EPOCH, BATCH;

    /** "epoch" or "batch", as files and the CLI spell it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads "epoch" or "batch"; anything else is an error naming what was found. */
    public static ScheduleUnit parse(String id) {
        for (ScheduleUnit u : values()) {
            if (u.id().equals(id)) return u;
        }
        throw new IllegalArgumentException("a learning-rate schedule steps per 'epoch' or per 'batch', not '" + id + "'");
    }
}
