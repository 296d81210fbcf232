package dev.propel.standard.layer;

import com.google.inject.Inject;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.standard.kernel.RecurrentKernels;

import java.util.List;

/** The factories of the recurrent layers {@code rnn}, {@code lstm} and {@code gru} (see {@link Recurrent}). */
public final class RecurrentFactories {
    private RecurrentFactories() {
    }

    /** {@code rnn}: Elman RNN, {@code h = tanh|relu(W_ih x + b_ih + W_hh h_prev + b_hh)}, PyTorch's {@code nn.RNN}. */
    public static final class RnnFactory implements LayerFactory {
        public static final String TYPE = "rnn";
        private static final AttributeSchema SCHEMA = Recurrent.schema()
                .stringAttr("nonlinearity", "tanh", List.of("tanh", "relu"), "the cell's activation function")
                .build();
        private final RecurrentKernels kernels;

        @Inject
        public RnnFactory(RecurrentKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "Elman recurrent layer over [time, features] (PyTorch's nn.RNN, batch_first; weight_ih_l0 [H, F], weight_hh_l0 [H, H])";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(TYPE);
            RecurrentCell cell = setup.attributes().getString("nonlinearity").equals("relu") ? RecurrentCell.RNN_RELU : RecurrentCell.RNN_TANH;
            return new Recurrent(TYPE, cell, setup, kernels);
        }
    }

    /** {@code lstm}: PyTorch's {@code nn.LSTM}, gates i, f, g, o. */
    public static final class LstmFactory implements LayerFactory {
        public static final String TYPE = "lstm";
        private static final AttributeSchema SCHEMA = Recurrent.schema().build();
        private final RecurrentKernels kernels;

        @Inject
        public LstmFactory(RecurrentKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "LSTM layer over [time, features] (PyTorch's nn.LSTM, batch_first; gates i, f, g, o; weight_ih_l0 [4H, F])";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(TYPE);
            return new Recurrent(TYPE, RecurrentCell.LSTM, setup, kernels);
        }
    }

    /** {@code gru}: PyTorch's {@code nn.GRU}, gates r, z, n with {@code b_hn} inside {@code r ⊙ (W_hn h + b_hn)}. */
    public static final class GruFactory implements LayerFactory {
        public static final String TYPE = "gru";
        private static final AttributeSchema SCHEMA = Recurrent.schema().build();
        private final RecurrentKernels kernels;

        @Inject
        public GruFactory(RecurrentKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String description() {
            return "GRU layer over [time, features] (PyTorch's nn.GRU, batch_first; gates r, z, n; weight_ih_l0 [3H, F])";
        }

        @Override
        public AttributeSchema schema() {
            return SCHEMA;
        }

        @Override
        public Layer create(LayerSetup setup) {
            setup.requireSingleInput(TYPE);
            return new Recurrent(TYPE, RecurrentCell.GRU, setup, kernels);
        }
    }
}
