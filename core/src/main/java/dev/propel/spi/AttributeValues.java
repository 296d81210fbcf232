package dev.propel.spi;

import java.util.ArrayList;
import java.util.List;

/** Conversion of loosely typed values (from JSON, files, Java maps) to an attribute's declared type. */
final class AttributeValues {
    private AttributeValues() {
    }

    static Object convert(String owner, AttributeSpec spec, Object raw) {
        Object v = switch (spec.type()) {
            case INT -> toInt(raw);
            case FLOAT -> toFloat(raw);
            case STRING -> raw instanceof String s ? s : null;
            case BOOL -> raw instanceof Boolean b ? b : null;
            case INT_LIST -> toList(raw, AttributeValues::toInt);
            case FLOAT_LIST -> toList(raw, AttributeValues::toFloat);
            case STRING_LIST -> toList(raw, o -> o instanceof String s ? s : null);
            case INT_OR_INT_LIST -> raw instanceof List<?> ? toList(raw, AttributeValues::toInt)
                    : raw instanceof String s && !spec.allowed().isEmpty() ? s : toInt(raw);
        };
        if (v == null) {
            String strings = spec.type() == AttributeType.INT_OR_INT_LIST && !spec.allowed().isEmpty()
                    ? " or one of " + spec.allowed() : "";
            throw new AttributeException(owner + ": attribute '" + spec.name() + "' must be " + spec.type().description()
                    + strings + " but got " + describe(raw));
        }
        return v;
    }

    static void checkConstraint(String owner, AttributeSpec spec, Object v) {
        if (spec.type() == AttributeType.INT_OR_INT_LIST && v instanceof List<?> list) {
            for (Object element : list) checkConstraint(owner, spec, element);
            return;
        }
        if (v instanceof Number num && !(num instanceof Float f && f.isNaN())) {
            double d = num.doubleValue();
            boolean ok = (spec.min() == null || (spec.minInclusive() ? d >= spec.min() : d > spec.min()))
                    && (spec.max() == null || (spec.maxInclusive() ? d <= spec.max() : d < spec.max()));
            if (!ok) {
                throw new AttributeException(owner + ": attribute '" + spec.name() + "' must be " + spec.constraint()
                        + " but got " + v);
            }
        } else if (v instanceof Float f && f.isNaN()) {
            throw new AttributeException(owner + ": attribute '" + spec.name() + "' must be a number but got NaN");
        }
        if (v instanceof String s && !spec.allowed().isEmpty() && !spec.allowed().contains(s)) {
            throw new AttributeException(owner + ": attribute '" + spec.name() + "' must be " + spec.constraint()
                    + " but got '" + s + "'");
        }
    }

    private static Integer toInt(Object raw) {
        if (raw instanceof Integer i) return i;
        if (raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            long l = ((Number) raw).longValue();
            return l == (int) l ? (int) l : null;
        }
        return null;
    }

    private static Float toFloat(Object raw) {
        if (raw instanceof Number n && !(raw instanceof Double d && Math.abs(d) > Float.MAX_VALUE && !d.isInfinite())) {
            return n.floatValue();
        }
        return null;
    }

    private static <T> List<T> toList(Object raw, java.util.function.Function<Object, T> element) {
        if (!(raw instanceof List<?> list)) return null;
        List<T> out = new ArrayList<>(list.size());
        for (Object o : list) {
            T t = o == null ? null : element.apply(o);
            if (t == null) return null;
            out.add(t);
        }
        return List.copyOf(out);
    }

    private static String describe(Object raw) {
        if (raw instanceof String s) return "the string '" + s + "'";
        if (raw instanceof List<?> l) return "the list " + l;
        return raw.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + raw;
    }
}
