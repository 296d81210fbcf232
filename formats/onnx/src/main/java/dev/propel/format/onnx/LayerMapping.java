package dev.propel.format.onnx;

import dev.propel.spi.OperatorExport;

import java.util.List;

/**
 * How one kind of Propel layer and ONNX operators map onto each other: export (as
 * {@link OperatorExport}, the hook a third-party plugin implements too) and import of the operators it
 * claims. Adding a layer family to the ONNX format is adding one such class to {@link LayerMappings}.
 */
interface LayerMapping extends OperatorExport {

    /** The Propel layer types this mapping exports (may be empty for an import-only mapping). */
    List<String> layerTypes();

    /** The ONNX operators (default domain) this mapping imports. */
    List<String> operators();

    /**
     * Imports {@code node}: adds the Propel layers it becomes to {@code graph} (or aliases its output when it
     * computes nothing at inference), consuming following nodes it fuses. Refuses with a one-line
     * {@link dev.propel.model.ModelFormatException} what it cannot represent.
     */
    void importNode(ImportGraph graph, OnnxNode node);
}
