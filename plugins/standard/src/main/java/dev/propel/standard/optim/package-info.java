/** The standard optimizers: SGD, momentum, Adagrad, RMSProp and Adam (with their saved state). */
package dev.propel.standard.optim;
