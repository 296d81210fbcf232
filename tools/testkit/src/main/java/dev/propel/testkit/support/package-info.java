/**
 * Small layers and a loss that the testkit puts around a plugin's type to make a whole model for its round
 * trips, registered by {@link dev.propel.testkit.support.TestkitSupportPlugin}.
 */
package dev.propel.testkit.support;
