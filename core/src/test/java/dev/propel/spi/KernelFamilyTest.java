package dev.propel.spi;

import dev.propel.Propel;
import dev.propel.kernel.KernelsProvider;
import dev.propel.tensor.Tensor;
import com.google.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plugin's own kernel family reaches its factories, vector or scalar as the core's kernels are. */
class KernelFamilyTest {

    /** The family's interface: one loop the core does not have. */
    public interface Cube {
        void cube(float[] x, float[] y, int n);

        String kind();
    }

    public static final class ScalarCube implements Cube {
        @Override
        public void cube(float[] x, float[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = x[i] * x[i] * x[i];
        }

        @Override
        public String kind() {
            return "scalar";
        }
    }

    /** Stands in for a Vector API implementation (the selection is what is tested here). */
    public static final class FastCube implements Cube {
        @Override
        public void cube(float[] x, float[] y, int n) {
            new ScalarCube().cube(x, y, n);
        }

        @Override
        public String kind() {
            return "vector";
        }
    }

    static final KernelFamily<Cube> FAMILY = new KernelFamily<>(Cube.class, new ScalarCube(), FastCube::new);

    /** A factory that uses the family; which implementation it got is its description. */
    public static final class CubeUser implements LayerFactory {
        private final Cube cube;

        @Inject
        public CubeUser(Cube cube) {
            this.cube = cube;
        }

        @Override
        public String typeId() {
            return "cube_user";
        }

        @Override
        public String description() {
            return cube.kind();
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Layer create(LayerSetup setup) {
            throw new UnsupportedOperationException("only the injection is tested");
        }
    }

    public static final class CubePlugin extends AbstractPropelPlugin {
        @Override
        public String name() {
            return "cube";
        }

        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        protected void configurePlugin() {
            kernels(FAMILY);
            layer(CubeUser.class);
        }
    }

    @Test
    void factoriesGetTheImplementationThatSuitsTheCoreKernels() {
        try (Propel vector = Propel.builder().threads(1).plugin(new CubePlugin()).build();
             Propel scalar = Propel.builder().kernels(KernelsProvider.scalar()).plugin(new CubePlugin()).build()) {
            String expected = KernelsProvider.vectorApiAvailable() ? "vector" : "scalar";
            assertEquals(expected, vector.layerFactory("cube_user").description());
            assertEquals("scalar", scalar.layerFactory("cube_user").description());
        }
        assertSame(FAMILY.scalar(), FAMILY.select(KernelsProvider.scalar()));
        Tensor x = Tensor.of(new float[]{2, -1}, 2);
        float[] y = new float[2];
        FAMILY.scalar().cube(x.data(), y, 2);
        assertEquals(-1f, y[1]);
    }

    @Test
    void aScalarTwinOfTheWrongTypeIsRefused() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        PropelException e = assertThrows(PropelException.class, () -> new KernelFamily(Cube.class, "not a cube", null));
        assertTrue(e.getMessage().contains("do not implement"), e.getMessage());
    }
}
