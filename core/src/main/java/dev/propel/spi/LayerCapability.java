package dev.propel.spi;

/**
 * What a layer declares about itself for algorithms that only work on some kinds of layer (today:
 * Forward-Forward, which trains blocks of one affine layer followed by element-wise ones). A
 * third-party layer that declares a capability is treated exactly like a built-in one.
 */
public enum LayerCapability {
    /**
     * Dense-like: maps {@code [batch, in]} to {@code [batch, out]} with learnable parameters, each output
     * a function of the whole input row (e.g. {@code dense}); starts a Forward-Forward block.
     */
    AFFINE,
    /**
     * Activation-like: no parameters, output of the input's shape, each element a function of the
     * element in the same place (e.g. {@code relu}, {@code dropout}); may follow an affine layer in a
     * Forward-Forward block.
     */
    ELEMENTWISE
}
