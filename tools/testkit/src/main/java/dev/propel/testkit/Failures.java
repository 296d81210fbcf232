package dev.propel.testkit;

import dev.propel.spi.AttributeException;
import dev.propel.spi.AttributeSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Builds {@link ContractFailure}s for one kind of contract ("layer", "loss", "optimizer", "plugin"). */
final class Failures {
    private final String kind;

    Failures(String kind) {
        this.kind = kind;
    }

    ContractFailure fail(String contract, String subject, String detail) {
        return new ContractFailure(kind, contract, subject, detail, null);
    }

    ContractFailure fail(String contract, String subject, String detail, Throwable cause) {
        return new ContractFailure(kind, contract, subject, detail, cause);
    }

    /** Re-throws a failed assertion (e.g. from {@link GradientCheck}) under the contract's name. */
    ContractFailure wrap(String contract, String subject, AssertionError e) {
        return new ContractFailure(kind, contract, subject, e.getMessage(), e);
    }

    /** A contract that expected {@code expected} to be thrown by {@code action}; returns it. */
    <T extends Throwable> T expectThrows(String contract, String subject, Class<T> expected, String action,
                                         String fix, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            if (expected.isInstance(t)) return expected.cast(t);
            throw fail(contract, subject, action + " threw " + t + " but a " + expected.getSimpleName()
                    + " was expected; " + fix, t);
        }
        throw fail(contract, subject, action + " did not throw; " + fix);
    }

    /** Fails unless {@code message} contains each of {@code fragments}. */
    void requireMentions(String contract, String subject, Throwable t, List<String> fragments, String why) {
        String m = String.valueOf(t.getMessage());
        for (String f : fragments) {
            if (!m.contains(f)) {
                throw fail(contract, subject, "the " + t.getClass().getSimpleName() + " message should mention "
                        + f + " (" + why + ") but is: " + m, t);
            }
        }
    }

    /**
     * The "attribute errors" contract of layers, losses and optimizers alike: creating the component
     * ({@code create}) with each of {@code invalid} fails with an {@link AttributeException} mentioning
     * {@code named} and the case's fragments; an unknown attribute and the lack of each required one
     * ({@code specs}) are refused naming the attribute.
     *
     * @param subject    the case, as failures name it
     * @param typeId     the component's type id
     * @param named      what the messages must name (the type id, or the layer's name)
     * @param attributes the case's valid attributes
     */
    void attributeErrors(String subject, String typeId, String named, Map<String, Object> attributes,
                         List<InvalidAttributes> invalid, Collection<AttributeSpec> specs, Consumer<Map<String, ?>> create) {
        String contract = "attribute errors";
        for (InvalidAttributes bad : invalid) {
            String badSubject = typeId + " " + bad.attributes();
            AttributeException e = expectThrows(contract, badSubject, AttributeException.class, "creating the " + kind,
                    "declare the constraint in the schema or check it in create()", () -> create.accept(bad.attributes()));
            List<String> expected = new ArrayList<>(bad.fragments());
            expected.add(named);
            requireMentions(contract, badSubject, e, expected, "the " + kind + " and what is wrong");
        }
        Map<String, Object> unknown = new LinkedHashMap<>(attributes);
        unknown.put("testkit_unknown_attribute", 1);
        AttributeException e = expectThrows(contract, subject, AttributeException.class,
                "creating the " + kind + " with an unknown attribute 'testkit_unknown_attribute'",
                "resolve the attributes with the type's schema", () -> create.accept(unknown));
        requireMentions(contract, subject, e, List.of("'testkit_unknown_attribute'"), "the unknown attribute");
        for (AttributeSpec spec : specs) {
            if (!spec.required()) continue;
            Map<String, Object> without = new LinkedHashMap<>(attributes);
            without.remove(spec.name());
            AttributeException m = expectThrows(contract, subject, AttributeException.class,
                    "creating the " + kind + " without its required attribute '" + spec.name() + "'",
                    "resolve the attributes with the type's schema", () -> create.accept(without));
            requireMentions(contract, subject, m, List.of("'" + spec.name() + "'"), "the missing attribute");
        }
    }
}
