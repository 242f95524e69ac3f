package io.segnet.inference.render;

import io.segnet.data.io.ImagePixels;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An image blended with its class map, and a legend: each pixel becomes {@code (1 - alpha) * image + alpha * colour}
 * of its class (the image as gray or RGB), except pixels of the style's background class, which keep the image.
 * The legend, drawn with Java2D to the right of the picture, lists every class that occurs in the map (other than
 * the background class) with its colour swatch and name, in class-id order. Images lower than
 * {@link Style#minHeight()} are enlarged by an integer factor (nearest neighbour) so that small images such as
 * M2NIST's 64x84 stay legible.
 */
public final class Overlay {

    /**
     * How an overlay looks.
     *
     * @param alpha           weight of the class colour, in [0, 1] (0.5)
     * @param minHeight       images lower than this are enlarged by an integer factor up to 8 (256)
     * @param backgroundClass class drawn without colour and left out of the legend, or -1 for none (-1)
     */
    public record Style(double alpha, int minHeight, int backgroundClass) implements java.io.Serializable {

        /** Checks the ranges. */
        public Style {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("overlay alpha is " + alpha + "; use a weight in [0, 1], e.g. 0.5");
            }
            if (minHeight < 0) {
                throw new IllegalArgumentException("overlay minHeight is " + minHeight + "; use 0 (never enlarge) or more");
            }
            if (backgroundClass < -1) {
                throw new IllegalArgumentException("backgroundClass is " + backgroundClass + "; use a class id or -1");
            }
        }

        /** Alpha 0.5, enlarge below 256 pixels, every class coloured. */
        public static Style defaults() {
            return new Style(0.5, 256, -1);
        }

        /** This style leaving {@code classId} uncoloured (e.g. M2NIST's background, class 10). */
        public Style withBackgroundClass(int classId) {
            return new Style(alpha, minHeight, classId);
        }
    }

    private static final int MAX_SCALE = 8;
    private static final int PAD = 8;
    private static final int SWATCH = 12;

    private Overlay() {
    }

    /**
     * Renders the overlay.
     *
     * @param image      the input image, values in [0, 1], 1 or 3 channels
     * @param classMap   {@code H*W} class ids of the same size
     * @param palette    the class colours
     * @param classNames one name per class
     * @param style      the look
     * @throws IllegalArgumentException if sizes differ, a class id has no name or colour
     */
    public static BufferedImage render(ImagePixels image, int[] classMap, Palette palette, List<String> classNames,
                                       Style style) {
        Objects.requireNonNull(image, "image");
        int h = image.height();
        int w = image.width();
        int max = MaskImages.checkMap(classMap, h, w);
        palette.requireClasses(max + 1);
        if (max >= classNames.size()) {
            throw new IllegalArgumentException("the class map holds class " + max + " but only " + classNames.size()
                    + " class names are given");
        }
        if (image.channels() != 1 && image.channels() != 3) {
            throw new IllegalArgumentException("overlays need a 1- or 3-channel image, got " + image.channels());
        }
        int scale = style.minHeight() <= h ? 1 : Math.min(MAX_SCALE, (style.minHeight() + h - 1) / h);
        boolean[] present = new boolean[max + 1];
        int[] blended = blend(image, classMap, palette, style, present);

        List<Integer> legend = new ArrayList<>();
        for (int k = 0; k <= max; k++) {
            if (present[k] && k != style.backgroundClass()) {
                legend.add(k);
            }
        }
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        int textWidth = 0;
        for (int k : legend) {
            textWidth = Math.max(textWidth, fm.stringWidth(classNames.get(k)));
        }
        int line = Math.max(SWATCH, fm.getHeight()) + 4;
        int legendWidth = legend.isEmpty() ? 0 : PAD + SWATCH + 6 + textWidth + PAD;
        int outW = w * scale + legendWidth;
        int outH = Math.max(h * scale, legend.isEmpty() ? 0 : 2 * PAD + legend.size() * line);

        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, outW, outH);
            for (int y = 0; y < h * scale; y++) {
                for (int x = 0; x < w * scale; x++) {
                    out.setRGB(x, y, blended[(y / scale) * w + x / scale]);
                }
            }
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            int x0 = w * scale + PAD;
            for (int i = 0; i < legend.size(); i++) {
                int k = legend.get(i);
                int top = PAD + i * line;
                g.setColor(palette.color(k));
                g.fillRect(x0, top, SWATCH, SWATCH);
                g.setColor(Color.DARK_GRAY);
                g.drawRect(x0, top, SWATCH, SWATCH);
                g.setColor(Color.BLACK);
                g.drawString(classNames.get(k), x0 + SWATCH + 6, top + SWATCH - 1);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Renders the overlay and writes it as a PNG, atomically.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists and {@code overwrite} is false
     */
    public static void write(Path file, ImagePixels image, int[] classMap, Palette palette, List<String> classNames,
                             Style style, boolean overwrite) throws IOException {
        MaskImages.writePng(file, render(image, classMap, palette, classNames, style), overwrite);
    }

    /** The blended pixels ({@code 0xRRGGBB}, row-major) at the image's size; marks the classes present. */
    private static int[] blend(ImagePixels image, int[] classMap, Palette palette, Style style, boolean[] present) {
        int n = image.height() * image.width();
        float[] d = image.data();
        boolean rgb = image.channels() == 3;
        double a = style.alpha();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int r = to255(d[i]);
            int g = rgb ? to255(d[n + i]) : r;
            int b = rgb ? to255(d[2 * n + i]) : r;
            int k = classMap[i];
            present[k] = true;
            if (k != style.backgroundClass()) {
                int c = palette.rgb(k);
                r = (int) Math.round((1 - a) * r + a * ((c >> 16) & 0xFF));
                g = (int) Math.round((1 - a) * g + a * ((c >> 8) & 0xFF));
                b = (int) Math.round((1 - a) * b + a * (c & 0xFF));
            }
            out[i] = (r << 16) | (g << 8) | b;
        }
        return out;
    }

    private static int to255(float v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255.0);
    }

    /**
     * The class that a data set names as background, which overlays and reports leave uncoloured: the first named
     * {@code background}, {@code bg}, {@code __background__} (torchvision's lists), {@code void}, {@code unlabelled} /
     * {@code unlabeled} or {@code null} (Clothing Co-Parsing's), case-insensitive; -1 if none is.
     */
    public static int namedBackground(List<String> classNames) {
        for (int k = 0; k < classNames.size(); k++) {
            String n = classNames.get(k).strip().toLowerCase(java.util.Locale.ROOT);
            if (BACKGROUND_NAMES.contains(n)) {
                return k;
            }
        }
        return -1;
    }

    private static final java.util.Set<String> BACKGROUND_NAMES = java.util.Set.of("background", "bg",
            "__background__", "void", "unlabelled", "unlabeled", "null");
}
