package dev.propel.spi;

import dev.propel.kernel.Kernels;
import dev.propel.kernel.KernelsProvider;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A plugin's own family of kernels: an interface {@code T} of numeric loops the core's {@link Kernels}
 * do not have, with a plain-Java implementation (the reference, always present) and optionally a
 * Vector API one. The plugin registers it with {@link AbstractPropelPlugin#kernels}; its factories then
 * {@code @Inject T} and get the vector implementation when the core runs vector kernels, the scalar one
 * otherwise. The testkit's {@code KernelFamilyContract} runs both on the same random inputs and compares
 * them, as the core's own kernels are checked against their scalar twins.
 *
 * <p>The vector implementation is given as a supplier so that its class — which links against
 * {@code jdk.incubator.vector} — is loaded only when the module is present.
 *
 * @param type   the interface the plugin's layers, losses or optimizers call
 * @param scalar the plain-Java reference implementation
 * @param vector makes the Vector API implementation; {@code null} when there is none
 */
public record KernelFamily<T>(Class<T> type, T scalar, Supplier<? extends T> vector) {

    /** Checks that {@code scalar} implements {@code type}; throws {@link PropelException} otherwise. */
    public KernelFamily {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(scalar, "scalar");
        if (!type.isInstance(scalar)) {
            throw new PropelException("the scalar kernels " + scalar.getClass().getName() + " do not implement " + type.getName());
        }
    }

    /** The implementation to use alongside {@code core}: the vector one when the core kernels are vectorised and one exists. */
    public T select(Kernels core) {
        if (vector == null || !core.vectorized() || !KernelsProvider.vectorApiAvailable()) return scalar;
        T v = vector.get();
        if (!type.isInstance(v)) {
            throw new PropelException("the vector kernels " + v.getClass().getName() + " do not implement " + type.getName());
        }
        return v;
    }

    /** The vector implementation, or {@code null} when there is none or the Vector API module is absent (for the testkit). */
    public T vectorOrNull() {
        return vector == null || !KernelsProvider.vectorApiAvailable() ? null : vector.get();
    }
}
