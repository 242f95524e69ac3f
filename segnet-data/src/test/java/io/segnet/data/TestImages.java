package io.segnet.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;

/** Writes small test images of every kind the data module reads. Tests call it with a JUnit @TempDir. */
public final class TestImages {

    private TestImages() {
    }

    /** 8-bit grayscale PNG with value(y, x). */
    public static Path gray8(Path file, int h, int w, IntBinaryOperator value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, value.applyAsInt(y, x));
            }
        }
        return write(img, "png", file);
    }

    /** 16-bit grayscale PNG with value(y, x) in 0..65535. */
    public static Path gray16(Path file, int h, int w, IntBinaryOperator value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, value.applyAsInt(y, x));
            }
        }
        return write(img, "png", file);
    }

    /** 8-bit RGB image with colour(y, x) = 0xRRGGBB in the given format (png, bmp, jpg). */
    public static Path rgb(Path file, int h, int w, IntBinaryOperator colour, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, colour.applyAsInt(y, x));
            }
        }
        return write(img, format, file);
    }

    /** Palette PNG: palette entries 0xRRGGBB, pixel (y, x) holds palette index index(y, x). */
    public static Path palette(Path file, int h, int w, int[] palette, IntBinaryOperator index) {
        byte[] r = new byte[palette.length];
        byte[] g = new byte[palette.length];
        byte[] b = new byte[palette.length];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) (palette[i] >> 16);
            g[i] = (byte) (palette[i] >> 8);
            b[i] = (byte) palette[i];
        }
        IndexColorModel cm = new IndexColorModel(8, palette.length, r, g, b);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, cm);
        WritableRaster raster = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, index.applyAsInt(y, x));
            }
        }
        return write(img, "png", file);
    }

    /** Palette image (8-bit indices) in {@code format}: png, gif or bmp; pixel (y, x) holds index(y, x). */
    public static Path indexed(Path file, int h, int w, int[] palette, IntBinaryOperator index, String format) {
        Path png = palette(file.resolveSibling(file.getFileName() + ".tmp.png"), h, w, palette, index);
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            Files.delete(png);
            return write(img, format, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 8-bit grayscale image with value(y, x) in {@code format} (png, bmp, tif). */
    public static Path gray8(Path file, int h, int w, IntBinaryOperator value, String format) {
        Path png = gray8(file.resolveSibling(file.getFileName() + ".tmp.png"), h, w, value);
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            Files.delete(png);
            return write(img, format, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 16-bit grayscale TIFF with value(y, x) in 0..65535, LZW-compressed. */
    public static Path gray16TiffLzw(Path file, int h, int w, IntBinaryOperator value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, value.applyAsInt(y, x));
            }
        }
        try {
            Files.createDirectories(file.getParent());
            javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("LZW");
            try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.write(null, new javax.imageio.IIOImage(img, null, null), param);
            } finally {
                writer.dispose();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes bytes as they are (for corrupt files). */
    public static Path bytes(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(BufferedImage img, String format, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
