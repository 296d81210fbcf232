package dev.propel.format.json;

/** What a tensor of the JSON form is: a parameter ("tensors"), layer state ("state", since 1.1) or optimizer state. */
enum JsonTensorRole {
    PARAMETER, LAYER_STATE, OPTIMIZER_STATE
}
