/**
 * The {@code .pb} model format: a protobuf header followed by the tensors, streamed, with a checksum per
 * tensor; {@link dev.propel.format.proto.ProtoModelFormat} is the {@link dev.propel.model.ModelFormat}
 * found by {@link java.util.ServiceLoader}. {@code docs/format.md} describes the layout field by field.
 */
package dev.propel.format.proto;
