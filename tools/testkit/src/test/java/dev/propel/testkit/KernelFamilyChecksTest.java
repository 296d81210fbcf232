package dev.propel.testkit;

import dev.propel.spi.KernelFamily;
import dev.propel.testkit.fixtures.HalveKernels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel-family contracts catch the mistakes a vector twin makes, and say where. */
class KernelFamilyChecksTest {
    private static final KernelFamily<HalveKernels> FAMILY = HalveKernels.family();

    @Test
    void sizesAllLeaveATailForFourEightAndSixteenLanes() {
        for (int n : KernelFamilyChecks.SIZES) assertTrue(n % 4 != 0, "size " + n);
    }

    @Test
    void aTwinThatForgetsTheTailFailsNamingProbeSizeAndElement() {
        ContractFailure e = assertThrows(ContractFailure.class, () ->
                KernelFamilyChecks.vectorMatchesScalar(FAMILY, new HalveKernels.ForgetsTail(), HalveKernelsContractTest.HALVE));
        assertEquals("vector matches scalar", e.contract());
        assertTrue(e.getMessage().contains("HalveKernels probe 'halve', n = 1: value 0 is 0.0 (vector)"), e.getMessage());
    }

    @Test
    void aSumInAnotherOrderFailsABitwiseProbeButPassesWithinItsTolerance() {
        KernelProbe<HalveKernels> exactSum = KernelProbe.bitwise("sum", HalveKernelsContractTest.SUM.run());
        ContractFailure e = assertThrows(ContractFailure.class, () ->
                KernelFamilyChecks.vectorMatchesScalar(FAMILY, new HalveKernels.Blocked(), exactSum));
        assertTrue(e.getMessage().contains("bits") && e.getMessage().contains("KernelProbe.within"), e.getMessage());
        KernelFamilyChecks.vectorMatchesScalar(FAMILY, new HalveKernels.Blocked(), HalveKernelsContractTest.SUM);
    }

    @Test
    void aToleranceTooTightFails() {
        KernelProbe<HalveKernels> tight = KernelProbe.within("sum", 1e-12, 0, HalveKernelsContractTest.SUM.run());
        ContractFailure e = assertThrows(ContractFailure.class, () ->
                KernelFamilyChecks.vectorMatchesScalar(FAMILY, new HalveKernels.Blocked(), tight));
        assertTrue(e.getMessage().contains("apart"), e.getMessage());
    }

    @Test
    void aScalarTwinWithHiddenStateFails() {
        float[] calls = {0};
        KernelProbe<HalveKernels> drifting = KernelProbe.bitwise("drift", (k, rng, n) -> new float[]{calls[0]++});
        ContractFailure e = assertThrows(ContractFailure.class, () ->
                KernelFamilyChecks.vectorMatchesScalar(FAMILY, new HalveKernels.Blocked(), drifting));
        assertTrue(e.getMessage().contains("another result when run again"), e.getMessage());
    }

    @Test
    void bothImplementationsGetTheSameInputs() {
        float[] first = KernelFamilyChecks.run(HalveKernelsContractTest.HALVE, FAMILY.scalar(), 17);
        float[] second = KernelFamilyChecks.run(HalveKernelsContractTest.HALVE, FAMILY.scalar(), 17);
        assertTrue(Arrays.equals(first, second));
        assertTrue(KernelFamilyChecks.difference(new float[]{Float.NaN}, new float[]{Float.intBitsToFloat(0x7fc00001)}, 0, 0) == null,
                "any NaN matches any NaN");
        assertTrue(KernelFamilyChecks.difference(new float[]{1f}, new float[]{Float.POSITIVE_INFINITY}, 1, 1) != null,
                "an infinity never passes for a finite value");
    }

    @Test
    void negativeTolerancesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelProbe.within("x", -1, 0, HalveKernelsContractTest.SUM.run()));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }
}
