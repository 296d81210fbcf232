package dev.propel.format.proto;

import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.OptimizerState;
import dev.propel.model.PluginRef;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import dev.propel.train.EpochMetrics;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * A plain-text account of everything a saved model holds, tensors as SHA-256 of their little-endian
 * bytes. Written next to each committed fixture when it is made, so a later reader is checked against
 * what the file held, not against today's code.
 */
final class FixtureSummary {
    private FixtureSummary() {
    }

    static String of(SavedModel m) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("propel ").append(m.producer().propelVersion()).append('\n');
        for (PluginRef p : m.producer().plugins()) {
            sb.append("plugin ").append(p.name()).append(' ').append(p.version()).append(' ').append(p.types()).append('\n');
        }
        sb.append("input ").append(m.spec().input()).append('\n');
        for (int i = 0; i < m.spec().layers().size(); i++) {
            LayerSpec l = m.spec().layers().get(i);
            LayerInfo g = m.graph().get(i);
            sb.append("layer ").append(l.type()).append(' ').append(l.name()).append(' ').append(attributes(l.attributes()))
                    .append(" inputs=").append(g.inputs()).append(" in=").append(g.inputShape()).append(" out=")
                    .append(g.outputShape()).append('\n');
        }
        sb.append("loss ").append(m.spec().loss().type()).append(' ').append(attributes(m.spec().loss().attributes())).append('\n');
        if (m.spec().optimizer() != null) {
            sb.append("optimizer ").append(m.spec().optimizer().type()).append(' ')
                    .append(attributes(m.spec().optimizer().attributes())).append('\n');
        }
        sb.append("prediction ").append(m.prediction().type()).append(' ').append(attributes(m.prediction().attributes())).append('\n');
        Provenance p = m.provenance();
        if (p != null) {
            sb.append("provenance ").append(p.algorithm()).append(" epochs=").append(p.epochs()).append(' ')
                    .append(p.gradientDescent()).append(" batch=").append(p.batchSize()).append(" seed=").append(p.seed())
                    .append(" shuffle=").append(p.shuffle()).append(" split=").append(p.validationSplit())
                    .append(" clip=").append(p.clipNorm()).append(" threads=").append(p.threads())
                    .append(" seconds=").append(p.wallSeconds()).append(" stop=").append(p.stopReason())
                    .append(" settings=").append(attributes(p.settings())).append('\n');
            if (p.dataset() != null) {
                sb.append("dataset ").append(p.dataset().name()).append(' ').append(p.dataset().contentHash()).append(' ')
                        .append(p.dataset().examples()).append('\n');
            }
            for (EpochMetrics e : p.metrics()) {
                sb.append("epoch ").append(e.epoch()).append(' ').append(e.trainLoss()).append(' ').append(e.trainAccuracy())
                        .append(' ').append(e.validationLoss()).append(' ').append(e.validationAccuracy()).append(' ')
                        .append(e.learningRate()).append(' ').append(e.seconds()).append(' ').append(e.samples()).append('\n');
            }
        }
        tensors(sb, "tensor", m.parameters());
        OptimizerState s = m.optimizerState();
        if (s != null) {
            sb.append("optimizer-state ").append(s.type()).append(" steps=").append(s.stepCount()).append('\n');
            tensors(sb, "state", s.tensors());
        }
        return sb.toString();
    }

    private static String attributes(Map<String, Object> a) {
        StringBuilder sb = new StringBuilder("{");
        a.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v)
                .append(':').append(dev.propel.model.SavedAttributes.kindOf(v)));
        return sb.append('}').toString();
    }

    private static void tensors(StringBuilder sb, String kind, Map<String, Tensor> tensors) throws Exception {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            ByteBuffer b = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.data(), 0, t.size());
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
            sb.append(kind).append(' ').append(e.getKey()).append(' ').append(t.shape()).append(" sha256=").append(sha).append('\n');
        }
    }
}
