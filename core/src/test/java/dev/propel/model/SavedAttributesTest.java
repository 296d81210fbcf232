package dev.propel.model;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SavedAttributesTest {
    @Test
    void valuesBecomeCanonicalInOrder() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("l", 5L);
        in.put("big", 1L << 40);
        in.put("d", 0.001);
        in.put("s", "x");
        in.put("b", false);
        in.put("mixed", List.of(1, 2.5));
        in.put("ints", List.of((short) 1, 2L));
        in.put("empty", List.of());
        Map<String, Object> out = SavedAttributes.canonical("layer 'a'", in);
        assertEquals(List.of("l", "big", "d", "s", "b", "mixed", "ints", "empty"), List.copyOf(out.keySet()));
        assertEquals(Integer.class, out.get("l").getClass());
        assertEquals(Long.class, out.get("big").getClass());
        assertEquals(0.001f, out.get("d"));
        assertEquals(List.of(1f, 2.5f), out.get("mixed"));
        assertEquals(List.of(1, 2), out.get("ints"));
        assertEquals(SavedAttributes.Kind.FLOAT_LIST, SavedAttributes.kindOf(out.get("mixed")));
        assertEquals(SavedAttributes.Kind.INT_LIST, SavedAttributes.kindOf(out.get("empty")));
        assertEquals(SavedAttributes.Kind.INT, SavedAttributes.kindOf(out.get("big")));
    }

    @Test
    void unsupportedValuesNameTheOwnerAndAttribute() {
        var e = assertThrows(IllegalArgumentException.class, () -> SavedAttributes.canonical("layer 'a'", Map.of("m", Map.of())));
        assertTrue(e.getMessage().startsWith("layer 'a': attribute 'm' has a value of type"), e.getMessage());
        var mixed = assertThrows(IllegalArgumentException.class,
                () -> SavedAttributes.canonical("layer 'a'", Map.of("x", List.of("a", 1))));
        assertTrue(mixed.getMessage().contains("mixing strings and numbers"), mixed.getMessage());
        var bools = assertThrows(IllegalArgumentException.class,
                () -> SavedAttributes.canonical("layer 'a'", Map.of("x", List.of(true))));
        assertTrue(bools.getMessage().contains("list holding a Boolean"), bools.getMessage());
    }
}
