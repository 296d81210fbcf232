/** The standard losses: cross-entropy (softmax included), binary cross-entropy and mean squared error. */
package dev.propel.standard.loss;
