package dev.propel.standard.kernel;

/**
 * The reference {@link RecurrentKernels}: plain loops, σ and tanh evaluated in double and rounded once.
 * The backward passes of {@code rnn} and {@code gru} are written as float operations in the order
 * {@link VectorRecurrentKernels} performs them, so the two agree bit for bit there.
 */
public final class ScalarRecurrentKernels implements RecurrentKernels {

    /** σ(a) in double, rounded once (also the vector kernels' tail past the last whole vector). */
    static float sigmoid(float a) {
        return (float) (1.0 / (1.0 + Math.exp(-a)));
    }

    /** tanh(a) in double, rounded once. */
    static float tanh(float a) {
        return (float) Math.tanh(a);
    }

    private static float pre(float[] xp, int x, float[] hp, int p, float[] bhh, int j) {
        float a = xp == null ? hp[p] : xp[x] + hp[p];
        return bhh == null ? a : a + bhh[j];
    }

    private static float dh(float[] dhRec, int i, float[] dy, int y) {
        return dy == null ? dhRec[i] : dhRec[i] + dy[y];
    }

    @Override
    public void rnnCell(boolean relu, int from, int to, int hidden, float[] xp, int xpOff, int xpStride, float[] hp, float[] bhh,
                        float[] h, int hOff, int hStride) {
        for (int b = from; b < to; b++) {
            int x = xpOff + b * xpStride, p = b * hidden, o = hOff + b * hStride;
            for (int j = 0; j < hidden; j++) {
                float a = pre(xp, x + j, hp, p + j, bhh, j);
                h[o + j] = relu ? (a > 0f ? a : 0f) : tanh(a);
            }
        }
    }

    @Override
    public void rnnCellBackward(boolean relu, int from, int to, int hidden, float[] h, int hOff, int hStride,
                                float[] dy, int dyOff, int dyStride, float[] dhRec, float[] da, int daOff, int daStride) {
        for (int b = from; b < to; b++) {
            int o = hOff + b * hStride, y = dyOff + b * dyStride, r = b * hidden, d = daOff + b * daStride;
            for (int j = 0; j < hidden; j++) {
                float g = dh(dhRec, r + j, dy, y + j);
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
            int x = xpOff + b * xpStride, p = b * gh, g = gOff + b * gh, s = b * hidden, o = hOff + b * hStride;
            for (int j = 0; j < gh; j++) {
                float a = pre(xp, x + j, hp, p + j, bhh, j);
                gates[g + j] = j >= 2 * hidden && j < 3 * hidden ? tanh(a) : sigmoid(a);
            }
            for (int j = 0; j < hidden; j++) {
                float i = gates[g + j], f = gates[g + hidden + j], gg = gates[g + 2 * hidden + j], og = gates[g + 3 * hidden + j];
                float cp = cPrev == null ? 0f : cPrev[cPrevOff + s + j];
                float cv = f * cp + i * gg;
                c[cOff + s + j] = cv;
                h[o + j] = og * tanh(cv);
            }
        }
    }

    @Override
    public void lstmCellBackward(int from, int to, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff, float[] c, int cOff,
                                 float[] dy, int dyOff, int dyStride, float[] dhRec, float[] dc, float[] da, int daOff, int daStride) {
        int gh = 4 * hidden;
        for (int b = from; b < to; b++) {
            int g = gOff + b * gh, s = b * hidden, y = dyOff + b * dyStride, d = daOff + b * daStride;
            for (int j = 0; j < hidden; j++) {
                float i = gates[g + j], f = gates[g + hidden + j], gg = gates[g + 2 * hidden + j], og = gates[g + 3 * hidden + j];
                float cp = cPrev == null ? 0f : cPrev[cPrevOff + s + j];
                float tc = tanh(c[cOff + s + j]);
                float dhv = dh(dhRec, s + j, dy, y + j);
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
        int gh = 3 * hidden;
        for (int b = from; b < to; b++) {
            int x = xpOff + b * xpStride, p = b * gh, g = gOff + b * gh, s = b * hidden, o = hOff + b * hStride;
            int q = hPrevOff + b * hPrevStride;
            for (int j = 0; j < 2 * hidden; j++) gates[g + j] = sigmoid(pre(xp, x + j, hp, p + j, bhh, j));
            for (int j = 0; j < hidden; j++) {
                int n = 2 * hidden + j;
                float hnv = bhh == null ? hp[p + n] : hp[p + n] + bhh[n];
                hn[hnOff + s + j] = hnv;
                float nv = tanh(xp[x + n] + gates[g + j] * hnv);
                gates[g + n] = nv;
                float z = gates[g + hidden + j];
                float prev = hPrev == null ? 0f : hPrev[q + j];
                h[o + j] = (1f - z) * nv + z * prev;
            }
        }
    }

    @Override
    public void gruCellBackward(int from, int to, int hidden, float[] gates, int gOff, float[] hn, int hnOff,
                                float[] hPrev, int hPrevOff, int hPrevStride, float[] dy, int dyOff, int dyStride, float[] dhRec,
                                float[] dhPrev, float[] da, int daOff, int daStride, float[] daHidden) {
        int gh = 3 * hidden;
        for (int b = from; b < to; b++) {
            int g = gOff + b * gh, s = b * hidden, y = dyOff + b * dyStride, d = daOff + b * daStride, e = b * gh;
            int q = hPrevOff + b * hPrevStride;
            for (int j = 0; j < hidden; j++) {
                float r = gates[g + j], z = gates[g + hidden + j], n = gates[g + 2 * hidden + j];
                float prev = hPrev == null ? 0f : hPrev[q + j];
                float dhv = dh(dhRec, s + j, dy, y + j);
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
