/**
 * Forward-Forward training (Hinton, 2022): layer-local training of a stack with positive and negative data,
 * without a backward pass through the whole network; {@link dev.propel.train.ff.ForwardForwardTrainer} is the
 * entry point. {@code docs/forward-forward.md} describes the recipe and its options.
 */
package dev.propel.train.ff;
