package dev.propel.format.proto;

import dev.propel.format.proto.schema.Component;
import dev.propel.format.proto.schema.DType;
import dev.propel.format.proto.schema.Dataset;
import dev.propel.format.proto.schema.EpochRecord;
import dev.propel.format.proto.schema.Graph;
import dev.propel.format.proto.schema.Layer;
import dev.propel.format.proto.schema.LearningRateSchedule;
import dev.propel.format.proto.schema.ModelHeader;
import dev.propel.format.proto.schema.OptimizerStateInfo;
import dev.propel.format.proto.schema.PluginRef;
import dev.propel.format.proto.schema.Producer;
import dev.propel.format.proto.schema.TensorInfo;
import dev.propel.format.proto.schema.TensorRole;
import dev.propel.model.ComponentSpec;
import dev.propel.model.DatasetInfo;
import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.model.ModelSpec;
import dev.propel.model.OptimizerState;
import dev.propel.model.PredictionRule;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.model.ScheduleState;
import dev.propel.tensor.Tensor;
import dev.propel.train.EpochMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link SavedModel} (without tensor data) to and from the {@link ModelHeader} message. */
final class HeaderMapping {
    private HeaderMapping() {
    }

    // ---------------------------------------------------------------- writing

    static ModelHeader toHeader(SavedModel m, int chunkBytes) {
        ModelHeader.Builder h = ModelHeader.newBuilder();
        Producer.Builder p = Producer.newBuilder().setPropelVersion(m.producer().propelVersion());
        for (dev.propel.model.PluginRef ref : m.producer().plugins()) {
            p.addPlugins(PluginRef.newBuilder().setName(ref.name()).setVersion(ref.version()).addAllTypes(ref.types()));
        }
        h.setProducer(p);
        ModelSpec spec = m.spec();
        Graph.Builder g = Graph.newBuilder().addAllInputShape(spec.input())
                .setLoss(component("the loss", spec.loss()));
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            LayerInfo info = m.graph().get(i);
            g.addLayers(Layer.newBuilder().setType(l.type()).setName(l.name())
                    .addAllAttributes(AttributeMapping.toProto("layer '" + l.name() + "'", l.attributes()))
                    .addAllInputs(info.inputs()).addAllInputShape(info.inputShape()).addAllOutputShape(info.outputShape()));
        }
        h.setGraph(g);
        if (spec.optimizer() != null) h.setOptimizer(component("the optimizer", spec.optimizer()));
        h.setPrediction(dev.propel.format.proto.schema.PredictionRule.newBuilder().setType(m.prediction().type())
                .addAllAttributes(AttributeMapping.toProto("the prediction rule", m.prediction().attributes())));
        if (m.provenance() != null) h.setProvenance(provenance(m.provenance()));
        for (Map.Entry<String, Tensor> e : m.parameters().entrySet()) {
            h.addTensors(tensorInfo(e.getKey(), TensorRole.PARAMETER, e.getValue()));
        }
        for (Map.Entry<String, Tensor> e : m.layerState().entrySet()) {
            h.addTensors(tensorInfo(e.getKey(), TensorRole.STATE, e.getValue()));
        }
        OptimizerState state = m.optimizerState();
        if (state != null) {
            h.setOptimizerState(OptimizerStateInfo.newBuilder().setType(state.type()).setStepCount(state.stepCount()));
            for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
                h.addTensors(tensorInfo(e.getKey(), TensorRole.OPTIMIZER_STATE, e.getValue()));
            }
        }
        return h.setChunkBytes(chunkBytes).build();
    }

    private static Component component(String owner, ComponentSpec c) {
        return Component.newBuilder().setType(c.type())
                .addAllAttributes(AttributeMapping.toProto(owner + " '" + c.type() + "'", c.attributes())).build();
    }

    private static TensorInfo tensorInfo(String name, TensorRole role, Tensor t) {
        TensorInfo.Builder b = TensorInfo.newBuilder().setName(name).setRole(role).setDtype(DType.FLOAT32)
                .setByteLength((long) t.size() * Float.BYTES);
        for (int d : t.shape().dims()) b.addShape(d);
        return b.build();
    }

    private static dev.propel.format.proto.schema.Provenance provenance(Provenance p) {
        var b = dev.propel.format.proto.schema.Provenance.newBuilder().setAlgorithm(p.algorithm()).setEpochs(p.epochs())
                .setGradientDescent(p.gradientDescent()).setBatchSize(p.batchSize()).setSeed(p.seed())
                .setShuffle(p.shuffle()).setValidationSplit(p.validationSplit()).setClipNorm(p.clipNorm())
                .setWallSeconds(p.wallSeconds()).setThreads(p.threads()).setStopReason(p.stopReason())
                .addAllSettings(AttributeMapping.toProto("the provenance settings", p.settings()));
        if (p.dataset() != null) {
            b.setDataset(Dataset.newBuilder().setName(p.dataset().name()).setContentHash(p.dataset().contentHash())
                    .setExamples(p.dataset().examples()));
        }
        if (p.schedule() != null) {
            var sb = LearningRateSchedule.newBuilder().setPer(p.schedule().per()).setStep(p.schedule().step());
            for (ComponentSpec c : p.schedule().chain()) sb.addChain(component("the learning-rate schedule", c));
            b.setSchedule(sb);
        }
        for (EpochMetrics e : p.metrics()) {
            b.addMetrics(EpochRecord.newBuilder().setEpoch(e.epoch()).setTrainLoss(e.trainLoss())
                    .setTrainAccuracy(e.trainAccuracy()).setValidationLoss(e.validationLoss())
                    .setValidationAccuracy(e.validationAccuracy()).setLearningRate(e.learningRate())
                    .setSeconds(e.seconds()).setSamples(e.samples()));
        }
        return b.build();
    }

    // ---------------------------------------------------------------- reading

    /**
     * The model a header describes, with no tensors yet. Every value is checked; a problem is a
     * {@link ModelFormatException} naming the file and the element.
     */
    static SavedModel fromHeader(String file, ModelHeader h) {
        if (!h.hasGraph()) throw new ModelFormatException(file + ": the header has no model graph");
        Graph g = h.getGraph();
        List<Integer> input = new ArrayList<>(g.getInputShapeList());
        if (input.isEmpty()) throw new ModelFormatException(file + ": the model graph has no input shape");
        for (int d : input) {
            if (d <= 0) throw new ModelFormatException(file + ": the model input shape " + input + " has a dimension <= 0");
        }
        List<LayerSpec> layers = new ArrayList<>();
        List<LayerInfo> graph = new ArrayList<>();
        for (int i = 0; i < g.getLayersCount(); i++) {
            Layer l = g.getLayers(i);
            String owner = "layer " + i + " '" + l.getName() + "'";
            if (l.getType().isEmpty()) throw new ModelFormatException(file + ": " + owner + " has no type id");
            if (l.getName().isEmpty()) throw new ModelFormatException(file + ": layer " + i + " (" + l.getType() + ") has no name");
            layers.add(new LayerSpec(l.getType(), l.getName(), AttributeMapping.fromProto(file, owner, l.getAttributesList())));
            for (String in : l.getInputsList()) {
                if (in.isEmpty()) throw new ModelFormatException(file + ": " + owner + " lists an empty input name");
            }
            graph.add(new LayerInfo(l.getName(), l.getInputsList(), dims(file, owner, l.getInputShapeList()),
                    dims(file, owner, l.getOutputShapeList())));
        }
        if (!g.hasLoss() || g.getLoss().getType().isEmpty()) {
            throw new ModelFormatException(file + ": the model graph has no loss");
        }
        ComponentSpec loss = component(file, "the loss", g.getLoss());
        ComponentSpec optimizer = h.hasOptimizer() ? component(file, "the optimizer", h.getOptimizer()) : null;
        if (optimizer != null && optimizer.type().isEmpty()) throw new ModelFormatException(file + ": the optimizer has no type id");
        PredictionRule prediction = PredictionRule.argmax();
        if (h.hasPrediction()) {
            if (h.getPrediction().getType().isEmpty()) throw new ModelFormatException(file + ": the prediction rule has no type");
            prediction = new PredictionRule(h.getPrediction().getType(),
                    AttributeMapping.fromProto(file, "the prediction rule", h.getPrediction().getAttributesList()));
        }
        Provenance provenance = h.hasProvenance() ? provenance(file, h.getProvenance()) : null;
        OptimizerState state = null;
        if (h.hasOptimizerState()) {
            OptimizerStateInfo s = h.getOptimizerState();
            if (s.getType().isEmpty()) throw new ModelFormatException(file + ": the optimizer state has no optimizer type");
            if (s.getStepCount() < 0) {
                throw new ModelFormatException(file + ": the optimizer state has a negative step count " + s.getStepCount());
            }
            state = new OptimizerState(s.getType(), s.getStepCount(), Map.of());
        }
        List<dev.propel.model.PluginRef> plugins = new ArrayList<>();
        for (PluginRef p : h.getProducer().getPluginsList()) {
            plugins.add(new dev.propel.model.PluginRef(p.getName(), p.getVersion(), p.getTypesList()));
        }
        String version = h.getProducer().getPropelVersion().isEmpty() ? "unknown" : h.getProducer().getPropelVersion();
        try {
            return new SavedModel(new dev.propel.model.Producer(version, plugins),
                    new ModelSpec(input, layers, loss, optimizer), graph, prediction, provenance, Map.of(), state);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": inconsistent model graph: " + e.getMessage(), e);
        }
    }

    private static List<Integer> dims(String file, String owner, List<Integer> dims) {
        for (int d : dims) {
            if (d < 0) throw new ModelFormatException(file + ": " + owner + " records a shape " + dims + " with a negative dimension");
        }
        return dims;
    }

    private static ComponentSpec component(String file, String owner, Component c) {
        return new ComponentSpec(c.getType(), AttributeMapping.fromProto(file, owner + " '" + c.getType() + "'", c.getAttributesList()));
    }

    private static Provenance provenance(String file, dev.propel.format.proto.schema.Provenance p) {
        List<EpochMetrics> metrics = new ArrayList<>();
        for (EpochRecord e : p.getMetricsList()) {
            metrics.add(new EpochMetrics(e.getEpoch(), e.getTrainLoss(), e.getTrainAccuracy(), e.getValidationLoss(),
                    e.getValidationAccuracy(), e.getLearningRate(), e.getSeconds(), e.getSamples()));
        }
        DatasetInfo dataset = null;
        if (p.hasDataset()) {
            if (p.getDataset().getExamples() < 0) {
                throw new ModelFormatException(file + ": the provenance dataset has a negative example count");
            }
            dataset = new DatasetInfo(p.getDataset().getName(), p.getDataset().getContentHash(), p.getDataset().getExamples());
        }
        if (p.getEpochs() < 0) throw new ModelFormatException(file + ": the provenance has a negative epoch count " + p.getEpochs());
        return new Provenance(p.getAlgorithm(), p.getEpochs(), p.getGradientDescent(), p.getBatchSize(), p.getSeed(),
                p.getShuffle(), p.getValidationSplit(), p.getClipNorm(), dataset, metrics, p.getWallSeconds(), p.getThreads(),
                p.getStopReason(), AttributeMapping.fromProto(file, "the provenance settings", p.getSettingsList()),
                p.hasSchedule() ? schedule(file, p.getSchedule()) : null);
    }

    private static ScheduleState schedule(String file, LearningRateSchedule s) {
        List<ComponentSpec> chain = new ArrayList<>();
        for (Component c : s.getChainList()) {
            if (c.getType().isEmpty()) throw new ModelFormatException(file + ": a learning-rate schedule component has no type id");
            chain.add(component(file, "the learning-rate schedule", c));
        }
        try {
            return new ScheduleState(chain, s.getPer(), s.getStep());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": the provenance's learning-rate schedule is invalid: " + e.getMessage(), e);
        }
    }
}
