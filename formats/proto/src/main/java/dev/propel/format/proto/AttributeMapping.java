package dev.propel.format.proto;

import dev.propel.format.proto.schema.Attribute;
import dev.propel.format.proto.schema.FloatList;
import dev.propel.format.proto.schema.IntList;
import dev.propel.format.proto.schema.StringList;
import dev.propel.model.ModelFormatException;
import dev.propel.model.SavedAttributes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed attribute maps to and from {@code repeated Attribute}, with no knowledge of any plugin. */
final class AttributeMapping {
    private AttributeMapping() {
    }

    static List<Attribute> toProto(String owner, Map<String, Object> attributes) {
        List<Attribute> out = new ArrayList<>(attributes.size());
        for (Map.Entry<String, Object> e : SavedAttributes.canonical(owner, attributes).entrySet()) {
            Attribute.Builder b = Attribute.newBuilder().setName(e.getKey());
            Object v = e.getValue();
            switch (SavedAttributes.kindOf(v)) {
                case INT -> b.setIntValue(((Number) v).longValue());
                case FLOAT -> b.setFloatValue((Float) v);
                case STRING -> b.setStringValue((String) v);
                case BOOL -> b.setBoolValue((Boolean) v);
                case INT_LIST -> {
                    IntList.Builder l = IntList.newBuilder();
                    for (Object o : (List<?>) v) l.addValues(((Number) o).longValue());
                    b.setIntList(l);
                }
                case FLOAT_LIST -> {
                    FloatList.Builder l = FloatList.newBuilder();
                    for (Object o : (List<?>) v) l.addValues((Float) o);
                    b.setFloatList(l);
                }
                case STRING_LIST -> {
                    StringList.Builder l = StringList.newBuilder();
                    for (Object o : (List<?>) v) l.addValues((String) o);
                    b.setStringList(l);
                }
            }
            out.add(b.build());
        }
        return out;
    }

    /** The attributes in file order; {@code owner} (e.g. "layer 'dense_0'") names them in errors. */
    static Map<String, Object> fromProto(String file, String owner, List<Attribute> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            if (a.getName().isEmpty()) {
                throw new ModelFormatException(file + ": " + owner + " has an attribute with an empty name");
            }
            Object v = switch (a.getValueCase()) {
                case INT_VALUE -> intValue(a.getIntValue());
                case FLOAT_VALUE -> a.getFloatValue();
                case STRING_VALUE -> a.getStringValue();
                case BOOL_VALUE -> a.getBoolValue();
                case INT_LIST -> {
                    List<Object> l = new ArrayList<>(a.getIntList().getValuesCount());
                    for (long x : a.getIntList().getValuesList()) l.add(intValue(x));
                    yield Collections.unmodifiableList(l);
                }
                case FLOAT_LIST -> List.copyOf(a.getFloatList().getValuesList());
                case STRING_LIST -> List.copyOf(a.getStringList().getValuesList());
                case VALUE_NOT_SET -> throw new ModelFormatException(file + ": attribute '" + a.getName() + "' of " + owner
                        + " has no value, or a value of a kind newer than this reader knows");
            };
            if (out.put(a.getName(), v) != null) {
                throw new ModelFormatException(file + ": " + owner + " has attribute '" + a.getName() + "' twice");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object intValue(long v) {
        if (v == (int) v) return Integer.valueOf((int) v);
        return Long.valueOf(v);
    }
}
