package dev.propel.format.json;

/** Key names of the JSON model form (docs/format.md, "JSON form"). */
final class JsonFields {
    static final String FORMAT = "format";
    static final String FORMAT_NAME = "propel-model";
    static final String FORMAT_VERSION = "format_version";
    static final int MAJOR = 1;
    /** 1.1 added the "state" tensors (layer state) and graph models. */
    static final int MINOR = 1;
    static final String PRODUCER = "producer";
    static final String INPUT = "input";
    static final String LAYERS = "layers";
    static final String LOSS = "loss";
    static final String OPTIMIZER = "optimizer";
    static final String PREDICTION = "prediction";
    static final String GRAPH = "graph";
    static final String PROVENANCE = "provenance";
    static final String TENSORS = "tensors";
    /** Layer state tensors (since 1.1), in the same form as "tensors". */
    static final String STATE = "state";
    static final String OPTIMIZER_STATE = "optimizer_state";
    /** In a layer, loss, optimizer or prediction object: the type id. Every other key is an attribute. */
    static final String TYPE = "type";
    /** In a layer object: its name. */
    static final String NAME = "name";
    /** In a layer object of a spec: the names of the layers it reads ("input": the model input); default the layer before. */
    static final String INPUTS = "inputs";
    /** At the top level of a spec: the name of the output layer (default the last layer), as a string or a one-element list. */
    static final String OUTPUTS = "outputs";

    private JsonFields() {
    }
}
