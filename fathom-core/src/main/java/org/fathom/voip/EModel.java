package org.fathom.voip;

/**
 * A simplified ITU-T G.107 E-model. R = 93.2 - Id - Ie,eff (default R0 - Is, A = 0), where
 * <ul>
 *   <li>Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl), Ie and Bpl per codec
 *       ({@link Codecs#impairment}), Ppl the measured loss in percent, BurstR = 1 (random loss);</li>
 *   <li>Id from an estimated one-way delay d = 20 ms packetisation + 10 ms processing + a jitter
 *       buffer of twice the measured interarrival jitter: Id = 0.024 d + 0.11 (d - 177.3) for d
 *       above 177.3 ms (G.107 simplified form);</li>
 * </ul>
 * and MOS = 1 + 0.035 R + 7e-6 R (R - 60) (100 - R), 1 for R below 0 and 4.5 above 100.
 */
public final class EModel {
    private EModel() {}

    public static double r(String codec, double lossPct, double jitterMs) {
        double[] ie = Codecs.impairment(codec);
        double ppl = Math.max(0, Math.min(100, lossPct));
        double ieEff = ie[0] + (95 - ie[0]) * ppl / (ppl + ie[1]);
        double d = 30 + 2 * Math.max(0, jitterMs);
        double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
        return 93.2 - id - ieEff;
    }

    public static double mos(double r) {
        if (r <= 0) {
            return 1.0;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
    }

    public static double mos(String codec, double lossPct, double jitterMs) {
        return mos(r(codec, lossPct, jitterMs));
    }
}
