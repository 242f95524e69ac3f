package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

/**
 * Random photometric changes of the image only (the mask is untouched), for images in {@code [0, 1]}
 * (apply before {@link Normalize}). In this fixed order, as torchvision's {@code ColorJitter} with its
 * default order:
 * <ol>
 *   <li>brightness: multiply by a factor drawn from {@code [max(0, 1-brightness), 1+brightness]};</li>
 *   <li>contrast: blend with the image's mean gray level, factor from {@code [max(0, 1-contrast), 1+contrast]};</li>
 *   <li>saturation (3-channel images only): blend each pixel with its gray level (BT.601 luma), factor from
 *       {@code [max(0, 1-saturation), 1+saturation]}.</li>
 * </ol>
 * Results are clamped to {@code [0, 1]}. A strength of 0 leaves that property unchanged.
 *
 * @param brightness brightness strength, >= 0
 * @param contrast   contrast strength, >= 0
 * @param saturation saturation strength, >= 0
 */
public record ColorJitter(double brightness, double contrast, double saturation) implements Transform {

    /** Checks the strengths. */
    public ColorJitter {
        if (!(brightness >= 0) || !(contrast >= 0) || !(saturation >= 0)) {
            throw new IllegalArgumentException("colour jitter strengths (" + brightness + ", " + contrast + ", "
                    + saturation + ") must be >= 0, e.g. (0.2, 0.2, 0.2)");
        }
    }

    @Override
    public Sample apply(Sample s, Rng rng) {
        float b = (float) rng.uniform(Math.max(0, 1 - brightness), 1 + brightness);
        float c = (float) rng.uniform(Math.max(0, 1 - contrast), 1 + contrast);
        float sat = (float) rng.uniform(Math.max(0, 1 - saturation), 1 + saturation);
        float[] img = s.image().clone();
        int n = s.pixels();
        for (int i = 0; i < img.length; i++) {
            img[i] = clamp(img[i] * b);
        }
        if (contrast > 0) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += gray(img, i, n, s.channels());
            }
            float m = (float) (mean / n);
            for (int i = 0; i < img.length; i++) {
                img[i] = clamp(c * img[i] + (1 - c) * m);
            }
        }
        if (saturation > 0 && s.channels() == 3) {
            for (int i = 0; i < n; i++) {
                float g = gray(img, i, n, 3);
                for (int ch = 0; ch < 3; ch++) {
                    img[ch * n + i] = clamp(sat * img[ch * n + i] + (1 - sat) * g);
                }
            }
        }
        return s.withImage(img);
    }

    private static float gray(float[] img, int i, int n, int channels) {
        return channels == 3 ? 0.299f * img[i] + 0.587f * img[n + i] + 0.114f * img[2 * n + i] : img[i];
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : Math.min(v, 1);
    }
}
