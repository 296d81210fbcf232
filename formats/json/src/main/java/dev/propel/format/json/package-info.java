/**
 * The {@code .json} model format: the whole model as one readable JSON document, tensors as arrays with a
 * checksum each; {@link dev.propel.format.json.JsonModelFormat} is the {@link dev.propel.model.ModelFormat}
 * found by {@link java.util.ServiceLoader}. {@code docs/format.md} describes every field.
 */
package dev.propel.format.json;
