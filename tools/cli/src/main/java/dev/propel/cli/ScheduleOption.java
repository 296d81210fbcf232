package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.model.ComponentSpec;
import dev.propel.train.ComponentSchedule;
import dev.propel.train.LearningRateSchedule;
import dev.propel.train.ScheduleUnit;
import dev.propel.train.schedule.Schedules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learning-rate schedule that {@code --lr-schedule}, {@code --lr-schedule-arg} and
 * {@code --lr-schedule-per} describe, resolved against the registry (so a plugin's schedule type works
 * too). {@code --lr-schedule} takes a schedule type id ({@code cosine}, attributes from
 * {@code --lr-schedule-arg t_max=20}), one of the short forms the CLI has always taken
 * ({@code step:3:0.5}, {@code cosine:0.0001}, {@code linear-half}), or a JSON object
 * ({@code {"type": "warmup", "warmup_steps": 5, "then": {"type": "cosine"}}}).
 */
final class ScheduleOption {
    /** The schedule, and how headers, reports and the provenance's {@code lr_schedule} setting show it. */
    record Resolved(ComponentSchedule schedule, String text) {
    }

    private ScheduleOption() {
    }

    /** Every problem is an {@link IllegalArgumentException} whose message names the option to fix. */
    static Resolved resolve(String text, List<String> args, String per, Propel propel) {
        String t = text.trim();
        ScheduleUnit unit;
        try {
            unit = ScheduleUnit.parse(per.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--lr-schedule-per: " + e.getMessage());
        }
        List<ComponentSpec> chain;
        String shown;
        if (t.startsWith("{")) {
            noArgs(args, "put the attributes into the JSON object");
            chain = ModelSpecJson.scheduleChain(t, "--lr-schedule");
            shown = describe(chain);
        } else if (t.contains(":") || t.equals("linear-half")) {
            noArgs(args, "give the type id instead, e.g. --lr-schedule step --lr-schedule-arg step_size=3 --lr-schedule-arg gamma=0.5");
            chain = Schedules.chainOf(LearningRateSchedule.parse(t).schedule());
            shown = t;
        } else {
            chain = List.of(new ComponentSpec(t, arguments(args)));
            shown = describe(chain);
        }
        ComponentSchedule schedule;
        try {
            schedule = ComponentSchedule.of(propel.schedule(chain), unit);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--lr-schedule: " + e.getMessage());
        }
        return new Resolved(schedule, unit == ScheduleUnit.EPOCH ? shown : shown + " per batch");
    }

    private static void noArgs(List<String> args, String instead) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("--lr-schedule-arg goes with a schedule type id given to --lr-schedule; " + instead);
        }
    }

    /** KEY=VALUE pairs; a value reads as an integer, a number, true/false, or else as a string. */
    private static Map<String, Object> arguments(List<String> args) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--lr-schedule-arg: expected KEY=VALUE, e.g. t_max=20, but got '" + a + "'");
            }
            String key = a.substring(0, eq).trim();
            if (out.put(key, value(a.substring(eq + 1).trim())) != null) {
                throw new IllegalArgumentException("--lr-schedule-arg: '" + key + "' is given twice");
            }
        }
        return out;
    }

    private static Object value(String v) {
        if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException notInt) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException notNumber) {
                return v;
            }
        }
    }

    /** "warmup(warmup_steps=5) > cosine(t_max=20)", with the attributes as given. */
    private static String describe(List<ComponentSpec> chain) {
        List<String> parts = new ArrayList<>();
        for (ComponentSpec c : chain) {
            List<String> kv = new ArrayList<>();
            c.attributes().forEach((k, v) -> kv.add(k + "=" + v));
            parts.add(kv.isEmpty() ? c.type() : c.type() + "(" + String.join(", ", kv) + ")");
        }
        return String.join(" > ", parts);
    }
}
