/**
 * The standard plugin's own kernel families (convolution, recurrent cells, losses, optimizer updates), each an
 * interface with a scalar implementation and a Vector API twin that give the same results, checked
 * against each other by the testkit's {@code KernelFamilyContract}.
 */
package dev.propel.standard.kernel;
