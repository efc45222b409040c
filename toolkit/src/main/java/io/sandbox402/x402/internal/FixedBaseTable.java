package io.sandbox402.x402.internal;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Multiples of one point for multiplying it by scalars below 2²⁵⁶ with additions only: window i of
 * {@code w} bits holds {@code j·2^(w·i)·P} for j = 1 … 2^w − 1, affine, so {@code k·P} is one mixed
 * addition per nonzero window and no doubling. Memory grows as 2^w/w; about 190 bytes a point.
 *
 * <p>Not constant-time: the table index is the scalar's bits. For verification only, where the
 * scalars are public (derived from a signature and a digest); never for signing.
 */
final class FixedBaseTable {
    private final ECCurve curve;
    private final int width;
    private final ECPoint[] points;

    FixedBaseTable(ECPoint base, int width) {
        this.curve = base.getCurve();
        this.width = width;
        int windows = (256 + width - 1) / width;
        int perWindow = (1 << width) - 1;
        points = new ECPoint[windows * perWindow];
        ECPoint windowBase = base.normalize();
        for (int i = 0; i < windows; i++) {
            ECPoint multiple = windowBase;
            for (int j = 0; j < perWindow; j++) {
                points[i * perWindow + j] = multiple;
                multiple = multiple.add(windowBase);
            }
            windowBase = multiple.normalize(); // 2^w times the window's base: the next window's
        }
        curve.normalizeAll(points);
    }

    /** {@code k·P} for 0 ≤ k < 2²⁵⁶, not normalized. */
    ECPoint multiply(BigInteger k) {
        int perWindow = (1 << width) - 1;
        ECPoint sum = curve.getInfinity();
        for (int i = 0, bit = 0; bit < 256; i++, bit += width) {
            int digit = 0;
            for (int b = Math.min(bit + width, 256) - 1; b >= bit; b--) {
                digit = (digit << 1) | (k.testBit(b) ? 1 : 0);
            }
            if (digit != 0) {
                sum = sum.add(points[i * perWindow + digit - 1]);
            }
        }
        return sum;
    }
}
