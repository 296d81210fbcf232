package dev.propel.spark;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelFiles;
import dev.propel.model.PredictionRule;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The spark.ml {@code Model} a {@link PropelClassifier} fits: a trained Propel model that adds the
 * raw outputs ({@code rawPredictionCol}), their softmax ({@code probabilityCol}) and the predicted
 * class ({@code predictionCol}) to a table with a features vector column. Executors rebuild the
 * model from its values once per JVM. ML persistence ({@code write().save(path)}, {@link #load})
 * stores the params as spark.ml does and the model itself as a Propel file, {@code path/propel/model.pb},
 * which {@code propel inspect}, {@code eval} and {@code predict} read as they are.
 */
public final class PropelClassificationModel extends ProbabilisticClassificationModel<Vector, PropelClassificationModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;
    static final String MODEL_FILE = "propel/model.pb";

    private final String uid;
    private final ShippedModel shipped;
    private final int classes;
    private final int features;
    private transient volatile Model model;

    PropelClassificationModel(String uid, Model model, int classes) {
        this.uid = uid; // before super(): Spark's constructors create params that read uid()
        this.shipped = ShippedModel.of(model, PredictionRule.argmax(), uid);
        this.classes = classes;
        this.features = model.inputShape().size();
        super();
        this.model = model;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Spark's Scala classes declare this twice with covariant types Java cannot see as one; the raw type overrides both. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public int numFeatures() {
        return features;
    }

    /** The trained Propel model (rebuilt from its values on an executor). */
    public Model propelModel() {
        Model m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = shipped.rebuild(ExecutorPropel.get());
                    model = m;
                }
            }
        }
        return m;
    }

    @Override
    public Vector predictRaw(Vector v) {
        if (v.size() != features) {
            throw new IllegalArgumentException(uid + ": a features vector of size " + v.size() + " but the model takes " + features);
        }
        Model m = propelModel();
        float[] x = new float[features];
        for (int i = 0; i < features; i++) x[i] = (float) v.apply(i);
        Tensor y = m.predict(Tensor.wrap(x, m.inputShape().withBatch(1)));
        double[] out = new double[y.size()];
        for (int i = 0; i < out.length; i++) out[i] = y.data()[i];
        return Vectors.dense(out);
    }

    /** Softmax of the raw outputs (logits, for a model trained with cross_entropy), in place. */
    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        double[] v = ((DenseVector) raw).values();
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) max = Math.max(max, d);
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.exp(v[i] - max);
            sum += v[i];
        }
        for (int i = 0; i < v.length; i++) v[i] /= sum;
        return raw;
    }

    @Override
    public PropelClassificationModel copy(ParamMap extra) {
        PropelClassificationModel copy = new PropelClassificationModel(uid, propelModel(), classes);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<PropelClassificationModel> read() {
        return new Reader();
    }

    public static PropelClassificationModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final PropelClassificationModel instance;

        Writer(PropelClassificationModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
            Propel propel = ExecutorPropel.get();
            java.nio.file.Path local = null;
            try {
                local = Files.createTempFile("propel-model", ".pb");
                ModelFiles.save(SavedModel.builder(propel, instance.propelModel()).prediction(PredictionRule.argmax()).build(), local);
                Path target = new Path(path, MODEL_FILE);
                FileSystem fs = target.getFileSystem(sc().hadoopConfiguration());
                fs.copyFromLocalFile(false, true, new Path(local.toUri()), target);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the Propel model to " + path + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(local);
            }
        }
    }

    private static final class Reader extends MLReader<PropelClassificationModel> {
        @Override
        public PropelClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    PropelClassificationModel.class.getName());
            java.nio.file.Path local = null;
            try {
                local = Files.createTempFile("propel-model", ".pb");
                Path source = new Path(path, MODEL_FILE);
                source.getFileSystem(sc().hadoopConfiguration()).copyToLocalFile(false, source, new Path(local.toUri()), true);
                Model model = ModelFiles.load(ExecutorPropel.get(), local).model();
                PropelClassificationModel m = new PropelClassificationModel(metadata.uid(), model, model.outputShape().size());
                metadata.getAndSetParams(m, scala.Option.empty());
                return m;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the Propel model of " + path + " (" + MODEL_FILE + "): " + e.getMessage(), e);
            } finally {
                deleteQuietly(local);
            }
        }
    }

    private static void deleteQuietly(java.nio.file.Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
