package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.data.Dataset;
import dev.propel.format.json.JsonModelFormat;
import dev.propel.model.ComponentSpec;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.tensor.Tensor;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spark.ml {@code Estimator} that trains a Propel model, data-parallel on the cluster, on a features
 * vector column and a label column (class numbers 0, 1, ...), and gives a {@link PropelClassificationModel}.
 *
 * <pre>{@code
 * PropelClassifier classifier = new PropelClassifier()
 *         .setSpec("{\"input\": [4], \"layers\": [{\"type\": \"dense\", \"units\": 16}, {\"type\": \"relu\"},"
 *                 + " {\"type\": \"dense\", \"units\": 3}], \"loss\": {\"type\": \"cross_entropy\"}}")
 *         .setEpochs(20).setBatchSize(32).setSeed(1);
 * PipelineModel fitted = new Pipeline().setStages(new PipelineStage[]{assembler, classifier}).fit(training);
 * }</pre>
 *
 * <p>The model's last layer must output one value per class (logits for {@code cross_entropy}). The
 * training examples are collected on the driver once and cut into cached partitions (see
 * {@link SparkTraining} and docs/spark.md for the limits).
 */
public final class PropelClassifier extends ProbabilisticClassifier<Vector, PropelClassifier, PropelClassificationModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PropelClassifier.class);

    private final String uid;
    private final Param<String> spec;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final LongParam seed;
    private final DoubleParam learningRate;
    private final IntParam partitions;

    public PropelClassifier() {
        this(Identifiable$.MODULE$.randomUID("propel"));
    }

    public PropelClassifier(String uid) {
        this.uid = uid; // before super(): Spark's constructors create params that read uid()
        super();
        spec = new Param<>(this, "spec", "the Propel model spec as JSON: {\"input\": [N], \"layers\": [...], \"loss\": {...}, "
                + "\"optimizer\": {...}} (see docs/cli.md)");
        epochs = new IntParam(this, "epochs", "epochs to train (>= 1)", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "examples per update (>= 1)", ParamValidators.gtEq(1));
        seed = new LongParam(this, "seed", "seed of the initial weights and of the shuffling");
        learningRate = new DoubleParam(this, "learningRate", "learning rate; 0 keeps the spec's optimizer's own", ParamValidators.gtEq(0));
        partitions = new IntParam(this, "partitions", "workers (training data partitions); 0 = Spark's default parallelism",
                ParamValidators.gtEq(0));
        setDefault(epochs, 10);
        setDefault(batchSize, 32);
        setDefault(seed, 1L);
        setDefault(learningRate, 0.0);
        setDefault(partitions, 0);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> spec() {
        return spec;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public LongParam seed() {
        return seed;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public IntParam partitions() {
        return partitions;
    }

    public PropelClassifier setSpec(String json) {
        set(spec, json);
        return this;
    }

    public PropelClassifier setEpochs(int n) {
        set(epochs, n);
        return this;
    }

    public PropelClassifier setBatchSize(int n) {
        set(batchSize, n);
        return this;
    }

    public PropelClassifier setSeed(long s) {
        set(seed, s);
        return this;
    }

    public PropelClassifier setLearningRate(double rate) {
        set(learningRate, rate);
        return this;
    }

    public PropelClassifier setPartitions(int n) {
        set(partitions, n);
        return this;
    }

    @Override
    public PropelClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public PropelClassificationModel train(org.apache.spark.sql.Dataset<?> dataset) {
        if (!isDefined(spec)) {
            throw new IllegalArgumentException("PropelClassifier " + uid + ": no model spec; call setSpec with the JSON spec of the model");
        }
        ModelSpec modelSpec;
        try {
            modelSpec = JsonModelFormat.parseSpec(getOrDefault(spec), "the spec param of " + uid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Row> rows = dataset.select(getFeaturesCol(), getLabelCol()).collectAsList();
        if (rows.isEmpty()) throw new IllegalArgumentException("PropelClassifier " + uid + ": the training data has no rows");
        int wanted = (Integer) getOrDefault(partitions);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        try (Propel propel = Propel.builder().warnings(LOG::warn).build()) {
            Model model = propel.build(modelSpec, (Long) getOrDefault(seed));
            Dataset train = examples(rows, model.outputShape().size());
            TrainingConfig config = TrainingConfig.builder().epochs((Integer) getOrDefault(epochs))
                    .batchSize((Integer) getOrDefault(batchSize)).seed((Long) getOrDefault(seed)).build();
            SparkTraining gradients = wanted > 0 ? new SparkTraining(sc, wanted) : new SparkTraining(sc);
            new Trainer(config, gradients).fit(model, optimizer(propel, modelSpec), train, null);
            return copyValues(new PropelClassificationModel(uid, model, train.classes()), extractParamMap()).setParent(this);
        }
    }

    private Optimizer optimizer(Propel propel, ModelSpec modelSpec) {
        ComponentSpec o = modelSpec.optimizer() != null ? modelSpec.optimizer() : ComponentSpec.of("adam", Map.of("learning_rate", 0.001));
        double rate = (Double) getOrDefault(learningRate);
        Map<String, Object> attributes = new LinkedHashMap<>(o.attributes());
        if (rate > 0) attributes.put("learning_rate", rate);
        return propel.optimizer(o.type(), attributes);
    }

    /** The rows as examples of a model with {@code classes} outputs, one per class. */
    private Dataset examples(List<Row> rows, int classes) {
        int width = ((Vector) rows.get(0).get(0)).size();
        float[] x = new float[rows.size() * width];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Vector v = (Vector) rows.get(i).get(0);
            if (v.size() != width) {
                throw new IllegalArgumentException("PropelClassifier " + uid + ": row " + i + " has " + v.size() + " features, the first row "
                        + width + "; every features vector must have the same size");
            }
            for (int j = 0; j < width; j++) x[i * width + j] = (float) v.apply(j);
            double label = ((Number) rows.get(i).get(1)).doubleValue();
            if (label < 0 || label != Math.rint(label) || label >= classes) {
                throw new IllegalArgumentException("PropelClassifier " + uid + ": label " + label + " in row " + i + " is not a class "
                        + "number of the model, which outputs " + classes + " values (one per class: 0 to " + (classes - 1) + ")");
            }
            labels[i] = (int) label;
        }
        return Dataset.classification(uid, Tensor.of(x, rows.size(), width), labels, classes);
    }

    /** Reads a classifier saved with {@code write().save(path)}. */
    public static MLReader<PropelClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static PropelClassifier load(String path) {
        return read().load(path);
    }
}
