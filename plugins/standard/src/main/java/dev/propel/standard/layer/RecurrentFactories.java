package dev.propel.standard.layer;

import com.google.inject.Inject;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.standard.kernel.RecurrentKernels;
import dev.propel.tensor.ShapeException;

import java.util.List;

/** The factories of the recurrent layers {@code rnn}, {@code lstm} and {@code gru} (see {@link Recurrent}). */
public final class RecurrentFactories {
    private RecurrentFactories() {
    }

    /** What the three factories share: a type id, a description, a schema and the injected cell kernels. */
    private abstract static class RecurrentFactory implements LayerFactory {
        private final String type;
        private final String description;
        private final AttributeSchema schema;
        final RecurrentKernels kernels;

        RecurrentFactory(String type, String description, AttributeSchema schema, RecurrentKernels kernels) {
            this.type = type;
            this.description = description;
            this.schema = schema;
            this.kernels = kernels;
        }

        /** The cell for these resolved attributes. */
        abstract RecurrentCell cell(LayerSetup setup);

        @Override
        public String typeId() {
            return type;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public AttributeSchema schema() {
            return schema;
        }

        @Override
        public Layer create(LayerSetup setup) {
            if (setup.inputShapes().size() > 2) {
                throw new ShapeException(setup.describe(type) + " reads the sequence [T, F] and optionally its lengths [1], but "
                        + setup.inputShapes().size() + " inputs " + setup.inputNames() + " were given");
            }
            return new Recurrent(type, cell(setup), setup, kernels);
        }
    }

    /** {@code rnn}: Elman RNN, {@code h = tanh|relu(W_ih x + b_ih + W_hh h_prev + b_hh)}, PyTorch's {@code nn.RNN}. */
    public static final class RnnFactory extends RecurrentFactory {
        /** The type id: an Elman RNN over a sequence {@code [T, features]}. */
        public static final String TYPE = "rnn";
        private static final AttributeSchema SCHEMA = Recurrent.schema()
                .stringAttr("nonlinearity", "tanh", List.of("tanh", "relu"), "the cell's activation function")
                .build();

        /** Created by Guice with the plugin's recurrent kernels. */
        @Inject
        public RnnFactory(RecurrentKernels kernels) {
            super(TYPE, "Elman recurrent layer over [time, features] (PyTorch's nn.RNN, batch_first; "
                    + "weight_ih_l0 [H, F], weight_hh_l0 [H, H])", SCHEMA, kernels);
        }

        @Override
        RecurrentCell cell(LayerSetup setup) {
            return setup.attributes().getString("nonlinearity").equals("relu") ? RecurrentCell.RNN_RELU : RecurrentCell.RNN_TANH;
        }
    }

    /** {@code lstm}: PyTorch's {@code nn.LSTM}, gates i, f, g, o. */
    public static final class LstmFactory extends RecurrentFactory {
        /** The type id: an LSTM over a sequence {@code [T, features]}. */
        public static final String TYPE = "lstm";

        /** Created by Guice with the plugin's recurrent kernels. */
        @Inject
        public LstmFactory(RecurrentKernels kernels) {
            super(TYPE, "LSTM layer over [time, features] (PyTorch's nn.LSTM, batch_first; gates i, f, g, o; "
                    + "weight_ih_l0 [4H, F])", Recurrent.schema().build(), kernels);
        }

        @Override
        RecurrentCell cell(LayerSetup setup) {
            return RecurrentCell.LSTM;
        }
    }

    /** {@code gru}: PyTorch's {@code nn.GRU}, gates r, z, n with {@code b_hn} inside {@code r ⊙ (W_hn h + b_hn)}. */
    public static final class GruFactory extends RecurrentFactory {
        /** The type id: a GRU over a sequence {@code [T, features]}. */
        public static final String TYPE = "gru";

        /** Created by Guice with the plugin's recurrent kernels. */
        @Inject
        public GruFactory(RecurrentKernels kernels) {
            super(TYPE, "GRU layer over [time, features] (PyTorch's nn.GRU, batch_first; gates r, z, n; "
                    + "weight_ih_l0 [3H, F])", Recurrent.schema().build(), kernels);
        }

        @Override
        RecurrentCell cell(LayerSetup setup) {
            return RecurrentCell.GRU;
        }
    }
}
