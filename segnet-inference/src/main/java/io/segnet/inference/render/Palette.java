package io.segnet.inference.render;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One display colour per class id, as {@code 0xRRGGBB}.
 *
 * <p>{@link #voc(int)} is the PASCAL VOC colour map (the bit-interleaving scheme of the VOC development kit's
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
