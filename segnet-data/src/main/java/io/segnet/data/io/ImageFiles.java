package io.segnet.data.io;

import io.segnet.common.io.PngFiles;
import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.DataProblem.Kind;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reading and writing image files with the JDK's ImageIO: PNG (8- and 16-bit, grayscale, RGB, palette),
 * JPEG, BMP and TIFF.
 *
 * <p>Every failure is a {@link DataException} naming the file: a missing file, an empty (0-byte) file,
 * content no reader recognises, and corrupt or truncated data (including data that the decoder only
 * warns about, such as a JPEG that ends early). Reading never writes anything: files are opened
 * read-only and ImageIO's disk cache is not used for file input.
 */
public final class ImageFiles {

    /** File name extensions recognised as images (lower case, without the dot). */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");

    private static final String REEXPORT = "re-export the file from its source, or remove it together with its"
            + " image or mask";

    private ImageFiles() {
    }

    /** Whether the file name ends in one of {@link #EXTENSIONS} (any case) and is not hidden. */
    public static boolean isImageFile(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
            return false;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The file name without its last extension: {@code "17.png"} gives {@code "17"}. */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * Whether the file's content is JPEG (by its first bytes {@code FF D8 FF}, whatever its extension): a lossy
     * format whose compression noise changes pixel values, so unusable for masks.
     */
    public static boolean isJpeg(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(3);
            return head.length == 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Decodes a file into a {@link BufferedImage}, as stored (no colour conversion).
     *
     * @throws DataException naming the file if it is missing, empty, unrecognised, corrupt or truncated
     */
    public static BufferedImage decode(Path file) {
        if (!Files.isRegularFile(file)) {
            throw DataException.of(file, Kind.UNREADABLE, "file does not exist",
                    "check the path, or remove the entry that refers to it");
        }
        try {
            if (Files.size(file) == 0) {
                throw DataException.of(file, Kind.UNREADABLE, "file is empty (0 bytes)", REEXPORT);
            }
        } catch (IOException e) {
            throw new DataException(new DataProblem(file, Kind.UNREADABLE, "cannot read the file: " + e, 
                    "check the file's permissions"), e);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw DataException.of(file, Kind.UNREADABLE, "cannot open the file", "check the file's permissions");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw DataException.of(file, Kind.UNREADABLE,
                        "not an image that can be decoded (its first bytes match none of PNG, JPEG, BMP, TIFF)",
                        "save it as PNG (lossless, best for masks), JPEG, BMP or TIFF, or remove it");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw DataException.of(file, Kind.UNREADABLE, "corrupt or truncated "
                            + reader.getFormatName().toUpperCase(Locale.ROOT) + " data (decoder: "
                            + String.join("; ", warnings) + ")", REEXPORT);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String cause = e.getMessage();
            if (e.getCause() != null && e.getCause().getMessage() != null) {
                cause = cause + ": " + e.getCause().getMessage();
            }
            throw new DataException(new DataProblem(file, Kind.UNREADABLE,
                    "corrupt or truncated image (" + cause + ")", REEXPORT), e);
        }
    }

    /**
     * Reads an image as floats in {@code [0,1]}.
     *
     * @param file     the image file
     * @param channels 0 to keep the stored channels (1 for grayscale and gray palettes, 3 otherwise; alpha
     *                 is dropped), 1 to convert colour to gray (ITU-R BT.601 luma
     *                 {@code 0.299 R + 0.587 G + 0.114 B}), 3 to replicate gray into RGB
     */
    public static ImagePixels readImage(Path file, int channels) {
        return convertChannels(toPixels(decode(file), file), channels);
    }

    /** The image's colour channels as floats in {@code [0,1]} (alpha dropped, palettes expanded). */
    public static ImagePixels toPixels(BufferedImage image, Path file) {
        int h = image.getHeight();
        int w = image.getWidth();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm instanceof IndexColorModel icm) {
            return paletteToPixels(icm, raster, h, w);
        }
        int components = cm.getNumColorComponents();
        if (components != 1 && components != 3) {
            throw DataException.of(file, Kind.UNREADABLE, "image has " + components
                    + " colour components (e.g. CMYK), segnet reads grayscale and RGB",
                    "convert the image to RGB or grayscale");
        }
        float[] data = new float[components * h * w];
        if (components == 1 && isPlainBytes(raster, w)) {
            byte[] bytes = ((DataBufferByte) raster.getDataBuffer()).getData();
            for (int i = 0; i < h * w; i++) {
                data[i] = (bytes[i] & 0xFF) / 255f;
            }
            return new ImagePixels(1, h, w, data);
        }
        float[] plane = new float[h * w];
        for (int c = 0; c < components; c++) {
            int bits = raster.getSampleModel().getSampleSize(c);
            float max = (float) ((1L << bits) - 1);
            raster.getSamples(0, 0, w, h, c, plane);
            int off = c * h * w;
            for (int i = 0; i < plane.length; i++) {
                data[off + i] = plane[i] / max;
            }
        }
        return new ImagePixels(components, h, w, data);
    }

    /** Converts between 1 and 3 channels; {@code channels == 0} or equal to the stored count keeps the image. */
    public static ImagePixels convertChannels(ImagePixels p, int channels) {
        if (channels == 0 || channels == p.channels()) {
            return p;
        }
        int n = p.height() * p.width();
        float[] src = p.data();
        if (channels == 3 && p.channels() == 1) {
            float[] out = new float[3 * n];
            System.arraycopy(src, 0, out, 0, n);
            System.arraycopy(src, 0, out, n, n);
            System.arraycopy(src, 0, out, 2 * n, n);
            return new ImagePixels(3, p.height(), p.width(), out);
        }
        if (channels == 1 && p.channels() == 3) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = 0.299f * src[i] + 0.587f * src[n + i] + 0.114f * src[2 * n + i];
            }
            return new ImagePixels(1, p.height(), p.width(), out);
        }
        throw new IllegalArgumentException("cannot convert " + p.channels() + " channels to " + channels
                + "; use 0 (as stored), 1 (gray) or 3 (RGB)");
    }

    /**
     * Writes an 8-bit grayscale PNG (for images in {@code 0..255} and index masks with values below 256), atomically
     * ({@link PngFiles}); an existing file is replaced.
     *
     * @param values H*W values, row-major, each 0..255
     */
    public static void writeGrayPng(Path file, int height, int width, byte[] values) throws IOException {
        if (values.length != height * width) {
            throw new IllegalArgumentException(values.length + " values for a " + height + "x" + width + " image");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        byte[] target = ((DataBufferByte) raster.getDataBuffer()).getData();
        System.arraycopy(values, 0, target, 0, values.length);
        PngFiles.write(file, image, true);
    }

    private static ImagePixels paletteToPixels(IndexColorModel icm, Raster raster, int h, int w) {
        int size = icm.getMapSize();
        boolean gray = true;
        for (int i = 0; i < size && gray; i++) {
            gray = icm.getRed(i) == icm.getGreen(i) && icm.getGreen(i) == icm.getBlue(i);
        }
        int[] index = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        int channels = gray ? 1 : 3;
        float[] data = new float[channels * h * w];
        int n = h * w;
        for (int i = 0; i < n; i++) {
            int k = index[i];
            if (gray) {
                data[i] = icm.getRed(k) / 255f;
            } else {
                data[i] = icm.getRed(k) / 255f;
                data[n + i] = icm.getGreen(k) / 255f;
                data[2 * n + i] = icm.getBlue(k) / 255f;
            }
        }
        return new ImagePixels(channels, h, w, data);
    }

    /** Whether a raster is one byte per pixel with no padding, so its buffer can be read directly. */
    static boolean isPlainBytes(Raster raster, int width) {
        return raster.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1
                && raster.getNumBands() == 1
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && sm.getPixelStride() == 1 && sm.getScanlineStride() == width
                && sm.getSampleSize(0) == 8
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && buffer.getOffset() == 0;
    }
}
