package io.segnet.inference.render;

import io.segnet.common.io.PngFiles;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Class maps as PNG files. A class map is {@code H*W} class ids, row-major.
 *
 * <ul>
 *   <li>{@link #writeIndexPng}: grayscale PNG whose pixel value is the class id (8-bit for ids below 256, 16-bit
 *       otherwise): the format segnet-data reads back as an index mask.</li>
 *   <li>{@link #writeColorPng}: a palette PNG whose palette holds the class colours; its raw pixel values are still
 *       the class ids, so it too reads back as an index mask (for up to 256 classes; beyond that an RGB PNG).</li>
 * </ul>
 */
public final class MaskImages {

    private MaskImages() {
    }

    /**
     * Writes the class ids as a grayscale PNG.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists and {@code overwrite} is false
     */
    public static void writeIndexPng(Path file, int[] classMap, int height, int width, boolean overwrite)
            throws IOException {
        writePng(file, toIndexImage(classMap, height, width), overwrite);
    }

    /**
     * Writes the class map in the palette's colours.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists and {@code overwrite} is false
     */
    public static void writeColorPng(Path file, int[] classMap, int height, int width, Palette palette,
                                     boolean overwrite) throws IOException {
        writePng(file, toColorImage(classMap, height, width, palette), overwrite);
    }

    /** A grayscale image of the ids: {@code TYPE_BYTE_GRAY} if every id is below 256, else {@code TYPE_USHORT_GRAY}. */
    public static BufferedImage toIndexImage(int[] classMap, int height, int width) {
        int max = checkMap(classMap, height, width);
        if (max < 256) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < classMap.length; i++) {
                data[i] = (byte) classMap[i];
            }
            return img;
        }
        if (max > 65535) {
            throw new IllegalArgumentException("class id " + max + " does not fit a 16-bit PNG");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        short[] data = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < classMap.length; i++) {
            data[i] = (short) classMap[i];
        }
        return img;
    }

    /** The class map in the palette's colours: a palette image for up to 256 colours, else RGB. */
    public static BufferedImage toColorImage(int[] classMap, int height, int width, Palette palette) {
        int max = checkMap(classMap, height, width);
        palette.requireClasses(max + 1);
        if (palette.size() <= 256) {
            int n = palette.size();
            byte[] r = new byte[n], g = new byte[n], b = new byte[n];
            for (int k = 0; k < n; k++) {
                int c = palette.rgb(k);
                r[k] = (byte) (c >> 16);
                g[k] = (byte) (c >> 8);
                b[k] = (byte) c;
            }
            IndexColorModel cm = new IndexColorModel(8, n, r, g, b);
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, cm);
            byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < classMap.length; i++) {
                data[i] = (byte) classMap[i];
            }
            return img;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, palette.rgb(classMap[y * width + x]));
            }
        }
        return img;
    }

    /** Writes any image as a PNG, atomically. */
    public static void writePng(Path file, BufferedImage image, boolean overwrite) throws IOException {
        PngFiles.write(file, image, overwrite);
    }

    /** Checks the shape and values; returns the largest id. */
    static int checkMap(int[] classMap, int height, int width) {
        if (height < 1 || width < 1 || classMap == null || (long) height * width != classMap.length) {
            throw new IllegalArgumentException("class map of " + (classMap == null ? "null" : classMap.length
                    + " values") + " does not match " + height + "x" + width);
        }
        int max = 0;
        for (int i = 0; i < classMap.length; i++) {
            int v = classMap[i];
            if (v < 0) {
                throw new IllegalArgumentException("class map holds " + v + " at (y=" + i / width + ", x=" + i % width
                        + "); class ids are >= 0");
            }
            max = Math.max(max, v);
        }
        return max;
    }
}
