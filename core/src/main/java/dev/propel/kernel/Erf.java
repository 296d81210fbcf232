package dev.propel.kernel;

/**
 * The error function, which {@link Math} lacks. Abramowitz &amp; Stegun 7.1.26 has an absolute error
 * of 1.5e-7, about one float ulp near 1, which is all a float32 GELU needs.
 */
final class Erf {
    static final double P = 0.3275911;
    static final double A1 = 0.254829592;
    static final double A2 = -0.284496736;
    static final double A3 = 1.421413741;
    static final double A4 = -1.453152027;
    static final double A5 = 1.061405429;

    private Erf() {
    }

    /** erf(x) = 1 − (a1·t + a2·t² + a3·t³ + a4·t⁴ + a5·t⁵)·e^(−x²), t = 1/(1 + p·|x|); odd in x. */
    static double erf(double x) {
        double ax = Math.abs(x);
        double t = 1.0 / (1.0 + P * ax);
        double poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        double y = 1.0 - poly * Math.exp(-ax * ax);
        return x < 0 ? -y : y;
    }
}
