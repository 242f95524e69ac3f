package io.segnet.inference.crf;

/**
 * Settings of a {@link DenseCrf}: the two Gaussian kernels of Kr&auml;henb&uuml;hl and Koltun, "Efficient Inference
 * in Fully Connected CRFs with Gaussian Edge Potentials" (NIPS 2011), eq. 3,
 * {@code k(i, j) = w1 exp(-|p_i - p_j|^2 / 2 thetaAlpha^2 - |I_i - I_j|^2 / 2 thetaBeta^2)
 * + w2 exp(-|p_i - p_j|^2 / 2 thetaGamma^2)}, with Potts compatibility, and the number of mean-field iterations.
 * Positions are in pixels, colours in 0-255 units.
 *
 * <p>{@link #defaults()} are the values of the authors' densecrf example and of pydensecrf's README (appearance
 * weight 10, thetaAlpha 80, thetaBeta 13; smoothness weight 3, thetaGamma 3; 5 iterations). DeepLab (Chen et al.
 * 2016) cross-validated w1 4, thetaAlpha 121, thetaBeta 5, w2 3, thetaGamma 3 on PASCAL VOC.
 *
 * @param iterations       mean-field iterations, >= 1
 * @param appearanceWeight w1, the weight of the appearance (bilateral) kernel, >= 0
 * @param thetaAlpha       its spatial standard deviation in pixels, > 0
 * @param thetaBeta        its colour standard deviation in 0-255 units, > 0
 * @param smoothnessWeight w2, the weight of the smoothness (spatial) kernel, >= 0
 * @param thetaGamma       its spatial standard deviation in pixels, > 0
 */
public record DenseCrfConfig(int iterations, double appearanceWeight, double thetaAlpha, double thetaBeta,
                             double smoothnessWeight, double thetaGamma) implements java.io.Serializable {

    /** Checks every field, naming the flag that sets it. */
    public DenseCrfConfig {
        if (iterations < 1) {
            throw new IllegalArgumentException("--crf-iterations must be >= 1 (5 is usual), got " + iterations);
        }
        check(appearanceWeight, "--crf-appearance-weight", true);
        check(thetaAlpha, "--crf-theta-alpha", false);
        check(thetaBeta, "--crf-theta-beta", false);
        check(smoothnessWeight, "--crf-smoothness-weight", true);
        check(thetaGamma, "--crf-theta-gamma", false);
    }

    private static void check(double v, String flag, boolean zeroAllowed) {
        if (!Double.isFinite(v) || v < 0 || v == 0 && !zeroAllowed) {
            throw new IllegalArgumentException(flag + " must be a finite number " + (zeroAllowed ? ">= 0" : "> 0")
                    + ", got " + v);
        }
    }

    /** The densecrf / pydensecrf example values: 5 iterations, w1 10, thetaAlpha 80, thetaBeta 13, w2 3, thetaGamma 3. */
    public static DenseCrfConfig defaults() {
        return new DenseCrfConfig(5, 10, 80, 13, 3, 3);
    }
}
