package dev.propel.standard;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.PluginException;
import dev.propel.spi.SpiVersion;
import dev.propel.standard.kernel.ConvKernels;
import dev.propel.standard.kernel.NormKernels;
import dev.propel.standard.kernel.LossKernels;
import dev.propel.standard.kernel.OptimizerKernels;
import dev.propel.standard.kernel.RecurrentKernels;
import dev.propel.standard.layer.Activations;
import dev.propel.standard.layer.BatchNorm;
import dev.propel.standard.layer.GlobalAvgPool;
import dev.propel.standard.layer.LayerNorm;
import dev.propel.standard.layer.LayerScale;
import dev.propel.standard.layer.Dense;
import dev.propel.standard.layer.Embedding;
import dev.propel.standard.layer.SequenceLengths;
import dev.propel.standard.layer.Add;
import dev.propel.standard.layer.Concat;
import dev.propel.standard.layer.Conv2d;
import dev.propel.standard.layer.Pool2d;
import dev.propel.standard.layer.Dropout;
import dev.propel.standard.layer.RecurrentFactories;
import dev.propel.standard.layer.Reshape;
import dev.propel.standard.loss.BinaryCrossEntropy;
import dev.propel.standard.loss.CrossEntropy;
import dev.propel.standard.loss.MeanSquaredError;
import dev.propel.standard.loss.SequenceCrossEntropy;
import dev.propel.standard.optim.Adagrad;
import dev.propel.standard.optim.Adam;
import dev.propel.standard.optim.Momentum;
import dev.propel.standard.optim.RmsProp;
import dev.propel.standard.optim.Sgd;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The built-in layers, losses and optimizers. It is an ordinary plugin, found by ServiceLoader
 * through {@code META-INF/services/dev.propel.spi.PropelPlugin}, and uses nothing but the core SPI,
 * so a third party's plugin can do everything this one does.
 *
 * <ul>
 *   <li>layers: {@code dense}, {@code sigmoid}, {@code tanh}, {@code relu}, {@code leaky_relu},
 *       {@code gelu}, {@code softmax}, {@code dropout}, {@code add}, {@code concat}, {@code flatten},
 *       {@code reshape}, {@code conv2d}, {@code max_pool2d}, {@code avg_pool2d}, {@code batch_norm},
 *       {@code layer_norm}, {@code layer_scale}, {@code global_avg_pool}; the recurrent {@code rnn}, {@code lstm},
 *       {@code gru} (with optional lengths from {@code sequence_lengths}); {@code embedding}</li>
 *   <li>losses: {@code mse}, {@code cross_entropy}, {@code binary_cross_entropy}, {@code sequence_cross_entropy}</li>
 *   <li>optimizers: {@code sgd}, {@code momentum}, {@code rmsprop}, {@code adagrad}, {@code adam},
 *       {@code adamw}</li>
 *   <li>kernel families: {@code OptimizerKernels}, {@code ConvKernels} and {@code NormKernels} (scalar and
 *       Vector API) and {@code LossKernels} (scalar), the update rules, convolution and pooling loops, batch
 *       normalisation's channel loops and loss loops that are not part of the core's kernels; {@code RecurrentKernels} (scalar and Vector API), the fused
 *       per-step cells of the recurrent layers</li>
 * </ul>
 */
public final class StandardPlugin extends AbstractPropelPlugin {
    /** The plugin's name, as {@code propel plugins} lists it and model files record it. */
    public static final String NAME = "standard";
    /** The project version this plugin was built as, e.g. {@code "0.1.0-SNAPSHOT"}. */
    public static final String VERSION = readVersion();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    /** The SPI version this plugin was compiled against (javac copies the constant into this class). */
    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    protected void configurePlugin() {
        kernels(OptimizerKernels.family());
        kernels(LossKernels.family());
        kernels(ConvKernels.family());
        kernels(NormKernels.family());
        kernels(RecurrentKernels.family());

        layer(Dense.Factory.class);
        layer(Activations.SigmoidFactory.class);
        layer(Activations.TanhFactory.class);
        layer(Activations.ReluFactory.class);
        layer(Activations.LeakyReluFactory.class);
        layer(Activations.GeluFactory.class);
        layer(Activations.SoftmaxFactory.class);
        layer(Dropout.Factory.class);
        layer(Add.Factory.class);
        layer(Concat.Factory.class);
        layer(Reshape.FlattenFactory.class);
        layer(Reshape.ReshapeFactory.class);
        layer(Conv2d.Factory.class);
        layer(Pool2d.MaxFactory.class);
        layer(Pool2d.AvgFactory.class);
        layer(BatchNorm.Factory.class);
        layer(LayerNorm.Factory.class);
        layer(LayerScale.Factory.class);
        layer(GlobalAvgPool.Factory.class);
        layer(RecurrentFactories.RnnFactory.class);
        layer(RecurrentFactories.LstmFactory.class);
        layer(RecurrentFactories.GruFactory.class);
        layer(SequenceLengths.Factory.class);
        layer(Embedding.Factory.class);

        loss(MeanSquaredError.Factory.class);
        loss(CrossEntropy.Factory.class);
        loss(BinaryCrossEntropy.Factory.class);
        loss(SequenceCrossEntropy.Factory.class);

        optimizer(Sgd.Factory.class);
        optimizer(Momentum.Factory.class);
        optimizer(RmsProp.Factory.class);
        optimizer(Adagrad.Factory.class);
        optimizer(Adam.AdamFactory.class);
        optimizer(Adam.AdamWFactory.class);
    }

    // The version file is filtered by Maven at build time (see this module's pom.xml).
    private static String readVersion() {
        String resource = "version.properties";
        try (InputStream in = StandardPlugin.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new PluginException("plugin '" + NAME + "': resource dev/propel/standard/" + resource
                        + " is missing from its jar; rebuild the plugin with Maven");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isBlank() || v.contains("${")) {
                throw new PluginException("plugin '" + NAME + "': dev/propel/standard/" + resource
                        + " has no filtered 'version' (found '" + v + "'); rebuild the plugin with Maven");
            }
            return v.trim();
        } catch (IOException e) {
            throw new PluginException("plugin '" + NAME + "': cannot read dev/propel/standard/" + resource + ": " + e, e);
        }
    }
}
