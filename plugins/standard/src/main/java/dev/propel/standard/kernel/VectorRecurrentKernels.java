package dev.propel.standard.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RecurrentKernels} with the JDK Vector API ({@link FloatVector#SPECIES_PREFERRED}). Each sample's
 * step runs as a few passes over its rows: the pre-activation sum, σ or tanh in place on each gate block,
 * then the state update. σ and tanh are built from exact IEEE operations only (an e^x by range reduction
 * and a Taylor polynomial, as the core's vector kernels do) instead of {@code VectorOperators.EXP/TANH},
 * whose results change when the JIT compiles the loop; so a run is repeatable. Helpers take and return
 * arrays, never vectors, and write the e^x lines out, so that no vector is boxed across a call.
 *
 * <p>Every row runs as whole vectors, then its last {@code n % LANES} values in plain Java with the scalar
 * twin's operations (σ and tanh there in double): a masked load or store at every step costs more than the
 * arithmetic on AVX2. The backward passes of {@code rnn} and {@code gru} perform the scalar twin's float
 * operations in the same order and give its bits.
 */
public final class VectorRecurrentKernels implements RecurrentKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that {@code n·LN2_HI} is exact for |n| &lt; 2^15 (Cody–Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude &lt; 2^22 to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** Below this, e^x is 0 in float; the argument here is always ≤ 0 (e^(−|x|), e^(−2|x|)). */
    private static final float EXP_MIN = -104f;
    private static final float TANH_SMALL = 0.4f;

    /** {@code out[o + j] = xp[x + j] + hp[p + j] (+ bhh[j])} for j in [0, n); a null xp adds nothing. */
    private static void preActivations(float[] xp, int x, float[] hp, int p, float[] bhh, float[] out, int o, int n) {
        for (int j = 0; j <= n - LANES; j += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, hp, p + j);
            if (xp != null) a = FloatVector.fromArray(SPECIES, xp, x + j).add(a);
            if (bhh != null) a = a.add(FloatVector.fromArray(SPECIES, bhh, j));
            a.intoArray(out, o + j);
        }
        for (int j = n - n % LANES; j < n; j++) {
            float v = xp == null ? hp[p + j] : xp[x + j] + hp[p + j];
            out[o + j] = bhh == null ? v : v + bhh[j];
        }
    }

    /**
     * {@code a = σ(a)} on {@code [off, off + n)}: with {@code z = e^(−|x|)}, σ = 1/(1 + z) for x ≥ 0 and
     * z/(1 + z) below, free of overflow. e^(−|x|) = 2^k·e^r with |r| ≤ ln2/2, e^r by its degree-7 Taylor
     * polynomial (truncation &lt; 6e-9 relative).
     */
    private static void sigmoidInPlace(float[] a, int off, int n) {
        for (int j = 0; j <= n - LANES; j += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, off + j);
            FloatVector v = x.abs().neg().max(EXP_MIN);
            FloatVector t = v.fma(LOG2E, ROUNDER);
            FloatVector k = t.sub(ROUNDER);
            FloatVector r = k.neg().fma(FloatVector.broadcast(SPECIES, LN2_HI), v);
            r = k.neg().fma(FloatVector.broadcast(SPECIES, LN2_LO), r);
            FloatVector p = r.fma(1f / 5040, 1f / 720);
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 120));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 24));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 6));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 0.5f));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
            IntVector ki = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS);
            IntVector half = ki.lanewise(VectorOperators.ASHR, 1);
            FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = ki.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector z = p.mul(s1).mul(s2);
            FloatVector big = FloatVector.broadcast(SPECIES, 1f).div(z.add(1f));
            big.blend(z.mul(big), x.compare(VectorOperators.LT, 0f)).blend(x, x.test(VectorOperators.IS_NAN))
                    .intoArray(a, off + j);
        }
        for (int j = n - n % LANES; j < n; j++) {
            a[off + j] = ScalarRecurrentKernels.sigmoid(a[off + j]);
        }
    }

    /**
     * {@code y = tanh(x)} on n values (in place when the ranges are the same): for |x| &lt; 0.4 the odd Taylor
     * series to x¹³; otherwise {@code sign(x)·(1 − 2/(e^(2|x|) + 1))}, with e^(2|x|) = 1/e^(−2|x|) written
     * out as in {@link #sigmoidInPlace}.
     */
    private static void tanh(float[] x, int xo, float[] y, int yo, int n) {
        for (int j = 0; j <= n - LANES; j += LANES) {
            FloatVector xv = FloatVector.fromArray(SPECIES, x, xo + j);
            FloatVector ax = xv.abs();
            FloatVector x2 = xv.mul(xv);
            FloatVector q = x2.fma(21844f / 6081075, -1382f / 155925);
            q = q.fma(x2, FloatVector.broadcast(SPECIES, 62f / 2835));
            q = q.fma(x2, FloatVector.broadcast(SPECIES, -17f / 315));
            q = q.fma(x2, FloatVector.broadcast(SPECIES, 2f / 15));
            q = q.fma(x2, FloatVector.broadcast(SPECIES, -1f / 3));
            FloatVector small = q.mul(x2).fma(xv, xv);
            FloatVector v = ax.mul(-2f).max(EXP_MIN);
            FloatVector t = v.fma(LOG2E, ROUNDER);
            FloatVector k = t.sub(ROUNDER);
            FloatVector r = k.neg().fma(FloatVector.broadcast(SPECIES, LN2_HI), v);
            r = k.neg().fma(FloatVector.broadcast(SPECIES, LN2_LO), r);
            FloatVector p = r.fma(1f / 5040, 1f / 720);
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 120));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 24));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 6));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 0.5f));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
            p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
            IntVector ki = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS);
            IntVector half = ki.lanewise(VectorOperators.ASHR, 1);
            FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = ki.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(s1).mul(s2); // e^(−2|x|) in (0, 1]
            // 1 − 2/(1/e + 1) = 1 − 2e/(1 + e) = (1 − e)/(1 + e)
            FloatVector one = FloatVector.broadcast(SPECIES, 1f);
            FloatVector big = one.sub(e).div(one.add(e));
            big = big.blend(big.neg(), xv.compare(VectorOperators.LT, 0f));
            big.blend(small, ax.compare(VectorOperators.LT, TANH_SMALL)).blend(xv, xv.test(VectorOperators.IS_NAN))
                    .intoArray(y, yo + j);
        }
        for (int j = n - n % LANES; j < n; j++) {
            y[yo + j] = ScalarRecurrentKernels.tanh(x[xo + j]);
        }
    }

    @Override
    public void rnnCell(boolean relu, int from, int to, int hidden, float[] xp, int xpOff, int xpStride, float[] hp, float[] bhh,
                        float[] h, int hOff, int hStride) {
        for (int b = from; b < to; b++) {
            int o = hOff + b * hStride;
            preActivations(xp, xpOff + b * xpStride, hp, b * hidden, bhh, h, o, hidden);
            if (!relu) {
                tanh(h, o, h, o, hidden);
                continue;
            }
            for (int j = 0; j <= hidden - LANES; j += LANES) {
                FloatVector a = FloatVector.fromArray(SPECIES, h, o + j);
                FloatVector.zero(SPECIES).blend(a, a.compare(VectorOperators.GT, 0f)).intoArray(h, o + j);
            }
            for (int j = hidden - hidden % LANES; j < hidden; j++) {
                float a = h[o + j];
                h[o + j] = a > 0f ? a : 0f;
            }
        }
    }

    @Override
    public void rnnCellBackward(boolean relu, int from, int to, int hidden, float[] h, int hOff, int hStride,
                                float[] dy, int dyOff, int dyStride, float[] dhRec, float[] da, int daOff, int daStride) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int b = from; b < to; b++) {
            int o = hOff + b * hStride, y = dyOff + b * dyStride, s = b * hidden, d = daOff + b * daStride;
            for (int j = 0; j <= hidden - LANES; j += LANES) {
                FloatVector g = FloatVector.fromArray(SPECIES, dhRec, s + j);
                if (dy != null) g = g.add(FloatVector.fromArray(SPECIES, dy, y + j));
                FloatVector v = FloatVector.fromArray(SPECIES, h, o + j);
                FloatVector r = relu ? FloatVector.zero(SPECIES).blend(g, v.compare(VectorOperators.GT, 0f))
                        : g.mul(one.sub(v.mul(v)));
                r.intoArray(da, d + j);
            }
            for (int j = hidden - hidden % LANES; j < hidden; j++) {
                float g = dy == null ? dhRec[s + j] : dhRec[s + j] + dy[y + j];
                float v = h[o + j];
                da[d + j] = relu ? (v > 0f ? g : 0f) : g * (1f - v * v);
            }
        }
    }

    @Override
    public void lstmCell(int from, int to, int hidden, float[] xp, int xpOff, int xpStride, float[] hp, float[] bhh,
                         float[] cPrev, int cPrevOff, float[] gates, int gOff, float[] c, int cOff, float[] h, int hOff, int hStride) {
        int gh = 4 * hidden;
        for (int b = from; b < to; b++) {
            int g = gOff + b * gh, s = b * hidden, o = hOff + b * hStride;
            preActivations(xp, xpOff + b * xpStride, hp, b * gh, bhh, gates, g, gh);
            sigmoidInPlace(gates, g, 2 * hidden);
            tanh(gates, g + 2 * hidden, gates, g + 2 * hidden, hidden);
            sigmoidInPlace(gates, g + 3 * hidden, hidden);
            for (int j = 0; j <= hidden - LANES; j += LANES) {
                FloatVector i = FloatVector.fromArray(SPECIES, gates, g + j);
                FloatVector gg = FloatVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
                FloatVector cv = i.mul(gg);
                if (cPrev != null) {
                    FloatVector f = FloatVector.fromArray(SPECIES, gates, g + hidden + j);
                    cv = f.mul(FloatVector.fromArray(SPECIES, cPrev, cPrevOff + s + j)).add(cv);
                }
                cv.intoArray(c, cOff + s + j);
            }
            for (int j = hidden - hidden % LANES; j < hidden; j++) {
                float cv = gates[g + j] * gates[g + 2 * hidden + j];
                if (cPrev != null) cv = gates[g + hidden + j] * cPrev[cPrevOff + s + j] + cv;
                c[cOff + s + j] = cv;
            }
            tanh(c, cOff + s, h, o, hidden);
            for (int j = 0; j <= hidden - LANES; j += LANES) {
                FloatVector og = FloatVector.fromArray(SPECIES, gates, g + 3 * hidden + j);
                og.mul(FloatVector.fromArray(SPECIES, h, o + j)).intoArray(h, o + j);
            }
            for (int j = hidden - hidden % LANES; j < hidden; j++) {
                h[o + j] = gates[g + 3 * hidden + j] * h[o + j];
            }
        }
    }

    @Override
    public void lstmCellBackward(int from, int to, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff, float[] c, int cOff,
                                 float[] dy, int dyOff, int dyStride, float[] dhRec, float[] dc, float[] da, int daOff, int daStride) {
        int gh = 4 * hidden;
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int b = from; b < to; b++) {
            int g = gOff + b * gh, s = b * hidden, y = dyOff + b * dyStride, d = daOff + b * daStride;
            // tanh(c) goes through the o block of da, which is written last, element by element.
            tanh(c, cOff + s, da, d + 3 * hidden, hidden);
            for (int j = 0; j <= hidden - LANES; j += LANES) {
                FloatVector i = FloatVector.fromArray(SPECIES, gates, g + j);
                FloatVector f = FloatVector.fromArray(SPECIES, gates, g + hidden + j);
                FloatVector gg = FloatVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
                FloatVector og = FloatVector.fromArray(SPECIES, gates, g + 3 * hidden + j);
                FloatVector cp = cPrev == null ? FloatVector.zero(SPECIES) : FloatVector.fromArray(SPECIES, cPrev, cPrevOff + s + j);
                FloatVector tc = FloatVector.fromArray(SPECIES, da, d + 3 * hidden + j);
                FloatVector dhv = FloatVector.fromArray(SPECIES, dhRec, s + j);
                if (dy != null) dhv = dhv.add(FloatVector.fromArray(SPECIES, dy, y + j));
                FloatVector dct = dhv.mul(og).mul(one.sub(tc.mul(tc))).add(FloatVector.fromArray(SPECIES, dc, s + j));
                dct.mul(gg).mul(i.mul(one.sub(i))).intoArray(da, d + j);
                dct.mul(cp).mul(f.mul(one.sub(f))).intoArray(da, d + hidden + j);
                dct.mul(i).mul(one.sub(gg.mul(gg))).intoArray(da, d + 2 * hidden + j);
                dhv.mul(tc).mul(og.mul(one.sub(og))).intoArray(da, d + 3 * hidden + j);
                dct.mul(f).intoArray(dc, s + j);
            }
            for (int j = hidden - hidden % LANES; j < hidden; j++) {
                float i = gates[g + j], f = gates[g + hidden + j], gg = gates[g + 2 * hidden + j], og = gates[g + 3 * hidden + j];
                float cp = cPrev == null ? 0f : cPrev[cPrevOff + s + j];
                float tc = da[d + 3 * hidden + j];
                float dhv = dy == null ? dhRec[s + j] : dhRec[s + j] + dy[y + j];
                float dct = dhv * og * (1f - tc * tc) + dc[s + j];
                da[d + j] = dct * gg * (i * (1f - i));
                da[d + hidden + j] = dct * cp * (f * (1f - f));
                da[d + 2 * hidden + j] = dct * i * (1f - gg * gg);
                da[d + 3 * hidden + j] = dhv * tc * (og * (1f - og));
                dc[s + j] = dct * f;
            }
        }
    }

    @Override
    public void gruCell(int from, int to, int hidden, float[] xp, int xpOff, int xpStride, float[] hp, float[] bhh,
                        float[] hPrev, int hPrevOff, int hPrevStride, float[] gates, int gOff, float[] hn, int hnOff,
                        float[] h, int hOff, int hStride) {
        int gh = 3 * hidden, n0 = 2 * hidden;
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int b = from; b < to; b++) {
            int x = xpOff + b * xpStride, p = b * gh, g = gOff + b * gh, s = b * hidden, o = hOff + b * hStride;
            preActivations(xp, x, hp, p, bhh, gates, g, n0);
            sigmoidInPlace(gates, g, n0);
            for (int j = 0; j <= hidden - LANES; j += LANES) {
                FloatVector hnv = FloatVector.fromArray(SPECIES, hp, p + n0 + j);
                if (bhh != null) hnv = hnv.add(FloatVector.fromArray(SPECIES, bhh, n0 + j));
                hnv.intoArray(hn, hnOff + s + j);
                FloatVector r = FloatVector.fromArray(SPECIES, gates, g + j);
                FloatVector.fromArray(SPECIES, xp, x + n0 + j).add(r.mul(hnv)).intoArray(gates, g + n0 + j);
            }
            for (int j = hidden - hidden % LANES; j < hidden; j++) {
                float hnv = bhh == null ? hp[p + n0 + j] : hp[p + n0 + j] + bhh[n0 + j];
                hn[hnOff + s + j] = hnv;
                gates[g + n0 + j] = xp[x + n0 + j] + gates[g + j] * hnv;
            }
            tanh(gates, g + n0, gates, g + n0, hidden);
            int q = hPrevOff + b * hPrevStride;
            for (int j = 0; j <= hidden - LANES; j += LANES) {
                FloatVector z = FloatVector.fromArray(SPECIES, gates, g + hidden + j);
                FloatVector nv = FloatVector.fromArray(SPECIES, gates, g + n0 + j);
                FloatVector prev = hPrev == null ? FloatVector.zero(SPECIES) : FloatVector.fromArray(SPECIES, hPrev, q + j);
                one.sub(z).mul(nv).add(z.mul(prev)).intoArray(h, o + j);
            }
            for (int j = hidden - hidden % LANES; j < hidden; j++) {
                float z = gates[g + hidden + j];
                float prev = hPrev == null ? 0f : hPrev[q + j];
                h[o + j] = (1f - z) * gates[g + n0 + j] + z * prev;
            }
        }
    }

    @Override
    public void gruCellBackward(int from, int to, int hidden, float[] gates, int gOff, float[] hn, int hnOff,
                                float[] hPrev, int hPrevOff, int hPrevStride, float[] dy, int dyOff, int dyStride, float[] dhRec,
                                float[] dhPrev, float[] da, int daOff, int daStride, float[] daHidden) {
        int gh = 3 * hidden;
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int b = from; b < to; b++) {
            int g = gOff + b * gh, s = b * hidden, y = dyOff + b * dyStride, d = daOff + b * daStride, e = b * gh;
            int q = hPrevOff + b * hPrevStride;
            for (int j = 0; j <= hidden - LANES; j += LANES) {
                FloatVector r = FloatVector.fromArray(SPECIES, gates, g + j);
                FloatVector z = FloatVector.fromArray(SPECIES, gates, g + hidden + j);
                FloatVector n = FloatVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
                FloatVector prev = hPrev == null ? FloatVector.zero(SPECIES) : FloatVector.fromArray(SPECIES, hPrev, q + j);
                FloatVector dhv = FloatVector.fromArray(SPECIES, dhRec, s + j);
                if (dy != null) dhv = dhv.add(FloatVector.fromArray(SPECIES, dy, y + j));
                FloatVector dan = dhv.mul(one.sub(z)).mul(one.sub(n.mul(n)));
                FloatVector daz = dhv.mul(prev.sub(n)).mul(z.mul(one.sub(z)));
                FloatVector dar = dan.mul(FloatVector.fromArray(SPECIES, hn, hnOff + s + j)).mul(r.mul(one.sub(r)));
                dar.intoArray(da, d + j);
                daz.intoArray(da, d + hidden + j);
                dan.intoArray(da, d + 2 * hidden + j);
                dar.intoArray(daHidden, e + j);
                daz.intoArray(daHidden, e + hidden + j);
                dan.mul(r).intoArray(daHidden, e + 2 * hidden + j);
                dhv.mul(z).intoArray(dhPrev, s + j);
            }
            for (int j = hidden - hidden % LANES; j < hidden; j++) {
                float r = gates[g + j], z = gates[g + hidden + j], n = gates[g + 2 * hidden + j];
                float prev = hPrev == null ? 0f : hPrev[q + j];
                float dhv = dy == null ? dhRec[s + j] : dhRec[s + j] + dy[y + j];
                float dan = dhv * (1f - z) * (1f - n * n);
                float daz = dhv * (prev - n) * (z * (1f - z));
                float dar = dan * hn[hnOff + s + j] * (r * (1f - r));
                da[d + j] = dar;
                da[d + hidden + j] = daz;
                da[d + 2 * hidden + j] = dan;
                daHidden[e + j] = dar;
                daHidden[e + hidden + j] = daz;
                daHidden[e + 2 * hidden + j] = dan * r;
                dhPrev[s + j] = dhv * z;
            }
        }
    }
}
