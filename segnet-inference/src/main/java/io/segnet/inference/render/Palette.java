package io.segnet.inference.render;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One display colour per class id, as {@code 0xRRGGBB}.
 *
 * <p>{@link #readable(int)} (what {@code segnet predict} draws with) keeps every class visible on dark and light
 * images. {@link #voc(int)} is the PASCAL VOC colour map (the bit-interleaving scheme of the VOC development kit's
 * {@code VOClabelcolormap.m}, also used by mmsegmentation and torchvision's examples): class 0 black, 1 dark red,
 * 2 dark green, 3 olive, 4 dark blue, ... Distinct for up to 256 classes.
 *
 * @param colors one {@code 0xRRGGBB} value per class, in class-id order (at least one)
 */
public record Palette(List<Integer> colors) {

    /** Copies the list and checks the values. */
    public Palette {
        Objects.requireNonNull(colors, "colors");
        colors = List.copyOf(colors);
        if (colors.isEmpty()) {
            throw new IllegalArgumentException("a palette needs at least one colour");
        }
        for (int i = 0; i < colors.size(); i++) {
            int c = colors.get(i);
            if (c < 0 || c > 0xFFFFFF) {
                throw new IllegalArgumentException("colour " + i + " is " + Integer.toHexString(c)
                        + "; give 0xRRGGBB values in 0..0xFFFFFF");
            }
        }
    }

    /** The PASCAL VOC colour map for {@code numClasses} classes (1..256). */
    public static Palette voc(int numClasses) {
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("the VOC colour map has 256 colours; asked for " + numClasses
                    + " classes. Give a Palette with one colour per class instead");
        }
        List<Integer> colors = new ArrayList<>(numClasses);
        for (int i = 0; i < numClasses; i++) {
            int r = 0, g = 0, b = 0, c = i;
            for (int j = 0; j < 8; j++) {
                r |= ((c) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            colors.add((r << 16) | (g << 8) | b);
        }
        return new Palette(colors);
    }

    /**
     * Tableau's ten categorical colours (matplotlib's {@code tab10}: blue, orange, green, red, purple, brown, pink,
     * gray, olive, cyan) for classes 0..9, then the colours {@code more} for classes 10 and up (for example black for
     * M2NIST's background class 10).
     */
    public static Palette tab10(List<Integer> more) {
        List<Integer> colors = new ArrayList<>(List.of(0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b,
                0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf));
        colors.addAll(more);
        return new Palette(colors);
    }

    /**
     * Colours that stay readable on dark and on light images, for {@code numClasses} classes (1..4096): distinct hues
     * at mid-high lightness, made in the perceptual OKLab space (Ottosson 2020) as OKLCH colours of lightness 0.70 or
     * 0.82 (alternating, so neighbouring classes also differ in lightness) and chroma 0.15, the hues of each lightness
     * evenly spread around the circle and the two lightnesses' hues offset by half a step, each colour pulled into the
     * sRGB gamut by lowering its chroma. Unlike the VOC map, no class is black, gray or so dark that it vanishes on a
     * dark image.
     */
    public static Palette readable(int numClasses) {
        if (numClasses < 1 || numClasses > 4096) {
            throw new IllegalArgumentException("readable palettes have 1..4096 colours; asked for " + numClasses);
        }
        List<Integer> colors = new ArrayList<>(numClasses);
        int perTier = (numClasses + 1) / 2;
        for (int i = 0; i < numClasses; i++) {
            int tier = i % 2;
            double lightness = tier == 0 ? 0.70 : 0.82;
            double hue = Math.toRadians((25 + 360.0 * (i / 2) / perTier + tier * 180.0 / perTier) % 360);
            double chroma = 0.15;
            int rgb;
            while ((rgb = oklchToRgb(lightness, chroma, hue)) < 0) {
                chroma -= 0.005;
            }
            colors.add(rgb);
        }
        return new Palette(colors);
    }

    /** OKLCH to {@code 0xRRGGBB}, or -1 if the colour lies outside the sRGB gamut. */
    static int oklchToRgb(double lightness, double chroma, double hue) {
        double a = chroma * Math.cos(hue), b = chroma * Math.sin(hue);
        double l_ = lightness + 0.3963377774 * a + 0.2158037573 * b;
        double m_ = lightness - 0.1055613458 * a - 0.0638541728 * b;
        double s_ = lightness - 0.0894841775 * a - 1.2914855480 * b;
        double l = l_ * l_ * l_, m = m_ * m_ * m_, s = s_ * s_ * s_;
        double[] linear = {
                4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
                -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
                -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s};
        int rgb = 0;
        for (double c : linear) {
            if (c < -1e-9 || c > 1 + 1e-9) {
                return -1;
            }
            double v = Math.max(0, Math.min(1, c));
            double srgb = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
            rgb = (rgb << 8) | (int) Math.round(srgb * 255);
        }
        return rgb;
    }

    /** OKLab lightness (0..1) of {@code 0xRRGGBB}. */
    static double oklabLightness(int rgb) {
        return oklab(rgb)[0];
    }

    /** OKLab coordinates {@code [L, a, b]} of {@code 0xRRGGBB}. */
    static double[] oklab(int rgb) {
        double[] lin = new double[3];
        for (int k = 0; k < 3; k++) {
            double c = ((rgb >> (16 - 8 * k)) & 0xFF) / 255.0;
            lin[k] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        double l = Math.cbrt(0.4122214708 * lin[0] + 0.5363325363 * lin[1] + 0.0514459929 * lin[2]);
        double m = Math.cbrt(0.2119034982 * lin[0] + 0.6806995451 * lin[1] + 0.1073969566 * lin[2]);
        double s = Math.cbrt(0.0883024619 * lin[0] + 0.2817188376 * lin[1] + 0.6299787005 * lin[2]);
        return new double[]{0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
                1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
                0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s};
    }

    /** Number of colours. */
    public int size() {
        return colors.size();
    }

    /** The colour of class {@code k} as {@code 0xRRGGBB}. */
    public int rgb(int k) {
        if (k < 0 || k >= colors.size()) {
            throw new IllegalArgumentException("class " + k + " has no colour; the palette has " + colors.size()
                    + " colours (classes 0.." + (colors.size() - 1) + ")");
        }
        return colors.get(k);
    }

    /** The colour of class {@code k}. */
    public Color color(int k) {
        return new Color(rgb(k));
    }

    /**
     * Checks that this palette colours {@code numClasses} classes.
     *
     * @throws IllegalArgumentException naming both counts otherwise
     */
    public void requireClasses(int numClasses) {
        if (numClasses > colors.size()) {
            throw new IllegalArgumentException("the palette has " + colors.size() + " colours but the model predicts "
                    + numClasses + " classes; give at least one colour per class");
        }
    }
}
