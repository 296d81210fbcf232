package dev.propel.spi;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttributeSchemaTest {
    private static final String OWNER = "layer 0 'dense_0' (dense)";

    private static final AttributeSchema SCHEMA = AttributeSchema.builder()
            .intAttr("units", null, 1, "number of outputs")
            .positiveFloat("scale", 1f, "initial scale")
            .floatAttr("rate", 0.5f, 0.0, true, 1.0, false, "drop probability")
            .boolAttr("bias", true, "whether to add a bias")
            .stringAttr("init", "he", List.of("he", "xavier"), "initialiser")
            .add(new AttributeSpec("kernel", AttributeType.INT_LIST, List.of(3, 3), "kernel size", null, false, null, false, null))
            .build();

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message should contain '" + part + "': " + e.getMessage());
        }
    }

    private static AttributeException refuse(Map<String, ?> given) {
        return assertThrows(AttributeException.class, () -> SCHEMA.resolve(OWNER, given));
    }

    @Test
    void defaultsAreFilledInSchemaOrder() {
        Attributes a = SCHEMA.resolve(OWNER, Map.of("units", 10));
        assertEquals(10, a.getInt("units"));
        assertEquals(1f, a.getFloat("scale"));
        assertEquals(0.5f, a.getFloat("rate"));
        assertTrue(a.getBool("bias"));
        assertEquals("he", a.getString("init"));
        assertEquals(List.of(3, 3), a.getIntList("kernel"));
        assertEquals(List.of("units", "scale", "rate", "bias", "init", "kernel"), List.copyOf(a.asMap().keySet()));
    }

    @Test
    void looselyTypedValuesAreConverted() {
        Attributes a = SCHEMA.resolve(OWNER, Map.of("units", 4L, "scale", 3, "rate", 0.25, "kernel", List.of(5L, 1)));
        assertEquals(4, a.getInt("units"), "a long that fits is an int");
        assertEquals(3f, a.getFloat("scale"), "an int is accepted for a float attribute");
        assertEquals(0.25f, a.getFloat("rate"));
        assertEquals(List.of(5, 1), a.getIntList("kernel"));
        assertEquals(SCHEMA.resolve(OWNER, Map.of("units", 4, "scale", 3f)).getFloat("scale"), a.getFloat("scale"));
    }

    @Test
    void unknownKeyListsTheValidOnes() {
        AttributeException e = refuse(Map.of("units", 4, "unit", 4));
        assertMentions(e, OWNER, "unknown attribute 'unit'",
                "units (an integer, required), scale (a number), rate (a number), bias (true or false), init (a string), "
                        + "kernel (a list of integers)");
        assertMentions(assertThrows(AttributeException.class, () -> AttributeSchema.empty().resolve("loss 'mse'", Map.of("x", 1))),
                "loss 'mse'", "valid attributes are none");
    }

    @Test
    void missingRequiredNamesTypeAndMeaning() {
        assertMentions(refuse(Map.of()), OWNER, "attribute 'units'", "an integer", "number of outputs", "required");
    }

    @Test
    void wrongTypesNameExpectedAndFound() {
        assertMentions(refuse(Map.of("units", "10")), OWNER, "'units' must be an integer", "the string '10'");
        assertMentions(refuse(Map.of("units", 1.5)), "'units' must be an integer", "double 1.5");
        assertMentions(refuse(Map.of("units", 5_000_000_000L)), "'units' must be an integer", "5000000000");
        assertMentions(refuse(Map.of("units", 2, "scale", "big")), "'scale' must be a number", "the string 'big'");
        assertMentions(refuse(Map.of("units", 2, "bias", "yes")), "'bias' must be true or false");
        assertMentions(refuse(Map.of("units", 2, "kernel", List.of(3, 2.5))), "'kernel' must be a list of integers",
                "the list [3, 2.5]");
        assertMentions(refuse(Map.of("units", 2, "kernel", 3)), "'kernel' must be a list of integers");
    }

    @Test
    void rangeViolationsNameTheRangeAndTheValue() {
        assertMentions(refuse(Map.of("units", 0)), OWNER, "'units' must be >= 1 but got 0");
        assertMentions(refuse(Map.of("units", 1, "scale", 0)), "'scale' must be > 0 but got 0.0");
        assertMentions(refuse(Map.of("units", 1, "rate", 1.0)), "'rate' must be >= 0 and < 1 but got 1.0");
        assertMentions(refuse(Map.of("units", 1, "rate", -0.1)), "'rate' must be >= 0 and < 1");
        assertMentions(refuse(Map.of("units", 1, "rate", Double.NaN)), "'rate' must be a number but got NaN");
        assertMentions(refuse(Map.of("units", 1, "init", "zeros")), "'init' must be one of [he, xavier] but got 'zeros'");
        assertMentions(refuse(Map.of("units", 1, "scale", 1e300)), "'scale' must be a number");
    }

    @Test
    void badDeclarationsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> AttributeSchema.builder().intAttr("a", 1, null, "x").intAttr("a", 2, null, "y"));
        assertThrows(AttributeException.class,
                () -> AttributeSchema.builder().intAttr("units", 0, 1, "a default below its own minimum"));
    }

    @Test
    void attributesReportAMissingName() {
        Attributes a = SCHEMA.resolve(OWNER, Map.of("units", 2));
        assertMentions(assertThrows(AttributeException.class, () -> a.getInt("width")), "no attribute 'width'", "units");
        assertEquals(a, SCHEMA.resolve(OWNER, Map.of("units", 2L)));
    }

    private static final AttributeSchema CONV = AttributeSchema.builder()
            .intOrIntListAttr("kernel_size", null, 1, List.of(), "kernel size")
            .intOrIntListAttr("padding", 0, 0, List.of("same", "valid"), "padding")
            .build();

    @Test
    void intOrIntListTakesAnIntegerAListOrAnAllowedString() {
        Attributes a = CONV.resolve(OWNER, Map.of("kernel_size", 3L));
        assertEquals(3, a.asMap().get("kernel_size"));
        assertEquals(0, a.asMap().get("padding"));
        Attributes b = CONV.resolve(OWNER, Map.of("kernel_size", List.of(3L, 5), "padding", "same"));
        assertEquals(List.of(3, 5), b.getIntList("kernel_size"));
        assertEquals("same", b.getString("padding"));
        assertEquals(List.of(1, 2), CONV.resolve(OWNER, Map.of("kernel_size", 1, "padding", List.of(1, 2))).getIntList("padding"));
    }

    @Test
    void intOrIntListRefusesOtherValuesNamingWhatItAccepts() {
        assertMentions(assertThrows(AttributeException.class, () -> CONV.resolve(OWNER, Map.of("kernel_size", "same"))),
                "'kernel_size'", "an integer or a list of integers", "the string 'same'");
        assertMentions(assertThrows(AttributeException.class, () -> CONV.resolve(OWNER, Map.of("kernel_size", 3, "padding", "full"))),
                "'padding'", ">= 0, or one of [same, valid]", "'full'");
        assertMentions(assertThrows(AttributeException.class, () -> CONV.resolve(OWNER, Map.of("kernel_size", List.of(3, 0)))),
                "'kernel_size'", ">= 1", "got 0");
        assertMentions(assertThrows(AttributeException.class, () -> CONV.resolve(OWNER, Map.of("kernel_size", 3, "padding", 1.5))),
                "'padding'", "an integer or a list of integers or one of [same, valid]", "1.5");
    }
}
