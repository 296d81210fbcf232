package dev.propel.format.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.propel.model.ModelFormatException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON value into plain Java: {@link LinkedHashMap} for objects (key order kept), {@link List},
 * {@link String}, {@link Boolean}, {@link Num} for numbers, {@link #NULL} for null. Numbers keep their
 * text, so each float is parsed once, straight from decimal, to the exact float it denotes (a tree of
 * doubles or BigDecimals would round twice or lose the sign of -0.0).
 */
final class JsonValues {
    /** JSON null. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A JSON number as written; {@code integral} when it has no fraction or exponent. */
    record Num(String text, boolean integral) {
        float floatValue() {
            return Float.parseFloat(text);
        }

        double doubleValue() {
            return Double.parseDouble(text);
        }

        /** The value as a long, or null when it is not an integer in the 64-bit range. */
        Long longValue() {
            if (!integral) return null;
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private JsonValues() {
    }

    /** Reads the value whose first token is the parser's current token; duplicate keys are an error. */
    static Object read(JsonParser p, String file) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    if (m.put(key, read(p, file)) != null) {
                        throw new ModelFormatException(file + ": key \"" + key + "\" appears twice in one object at line "
                                + p.currentLocation().getLineNr());
                    }
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p, file));
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return new Num(p.getText(), true);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Num(p.getText(), false);
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return NULL;
            }
            default -> throw new ModelFormatException(file + ": unexpected " + t + " at line " + p.currentLocation().getLineNr());
        }
    }
}
