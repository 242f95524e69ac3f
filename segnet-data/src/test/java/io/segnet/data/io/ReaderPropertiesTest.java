package io.segnet.data.io;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.Sample;
import io.segnet.data.transform.Compose;
import io.segnet.data.transform.PadToMultiple;
import io.segnet.data.transform.RandomFlip;
import io.segnet.data.transform.RandomRotation;
import io.segnet.data.transform.RandomScaleCrop;
import io.segnet.data.transform.Resize;
import io.segnet.data.transform.Transform;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based tests of the image and mask readers and the geometric transforms over random sizes, channel counts,
 * bit depths and file formats: a mask is read back exactly or refused with a {@link DataException} naming the file,
 * never a wrong class silently (a JPEG mask is always refused) and never another exception; transforms never invent a class.
 */
class ReaderPropertiesTest {

    /** How a mask is stored. */
    enum MaskStorage {
        PNG_GRAY8, PNG_GRAY16, PNG_PALETTE, PNG_RGB_EQUAL, BMP_RGB_EQUAL, TIFF_GRAY8, JPEG_GRAY8
    }

    /** How an image is stored. */
    enum ImageStorage {
        PNG_GRAY8, PNG_GRAY16, PNG_RGB, PNG_RGBA, PNG_PALETTE, BMP_RGB, TIFF_RGB
    }

    private static final int IGNORE = 255;

    @Property(tries = 80)
    void masksAreReadExactlyOrRefusedWithAReason(@ForAll @IntRange(min = 1, max = 24) int h,
                                                 @ForAll @IntRange(min = 1, max = 24) int w,
                                                 @ForAll @IntRange(min = 1, max = 6) int numClasses,
                                                 @ForAll MaskStorage storage, @ForAll boolean withBadValue,
                                                 @ForAll long seed) throws IOException {
        Random rnd = new Random(seed);
        int[] values = new int[h * w];
        for (int i = 0; i < values.length; i++) {
            values[i] = rnd.nextInt(10) == 0 ? IGNORE : rnd.nextInt(numClasses);
        }
        if (withBadValue) {
            values[rnd.nextInt(values.length)] = numClasses + rnd.nextInt(IGNORE - numClasses);
        }
        Path file = writeMask(values, h, w, storage);
        try {
            ClassMap m = MaskFiles.read(file, MaskFormat.index(), numClasses, IGNORE);
            assertTrue(storage != MaskStorage.JPEG_GRAY8, "a JPEG mask was read");
            assertTrue(!withBadValue, "a value that is no class was read silently from " + storage);
            assertEquals(h, m.height());
            assertEquals(w, m.width());
            assertArrayEquals(values, m.classes(), "classes read back from " + storage);
        } catch (DataException e) {
            if (storage == MaskStorage.JPEG_GRAY8) {
                assertEquals(DataProblem.Kind.LOSSY_MASK, e.problem().kind(), e.getMessage());
                return;
            }
            assertTrue(withBadValue, storage + ": " + e.getMessage());
            assertEquals(DataProblem.Kind.BAD_MASK_VALUE, e.problem().kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Property(tries = 60)
    void imagesBecomeFloatsInZeroOneWithTheRequestedChannels(@ForAll @IntRange(min = 1, max = 24) int h,
                                                             @ForAll @IntRange(min = 1, max = 24) int w,
                                                             @ForAll ImageStorage storage,
                                                             @ForAll @IntRange(min = 0, max = 2) int request,
                                                             @ForAll long seed) throws IOException {
        int channels = new int[]{0, 1, 3}[request];
        Random rnd = new Random(seed);
        Path file = writeImage(h, w, storage, rnd);
        try {
            ImagePixels p = ImageFiles.readImage(file, channels);
            int stored = storage == ImageStorage.PNG_GRAY8 || storage == ImageStorage.PNG_GRAY16 ? 1 : 3;
            int expected = channels == 0 ? (storage == ImageStorage.PNG_PALETTE ? p.channels() : stored) : channels;
            assertEquals(expected, p.channels(), storage + " read as " + channels);
            assertEquals(h, p.height());
            assertEquals(w, p.width());
            assertEquals(p.channels() * h * w, p.data().length);
            for (float v : p.data()) {
                assertTrue(v >= 0f && v <= 1f, storage + ": value " + v + " outside [0, 1]");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Property(tries = 80)
    void geometricTransformsNeverInventAClass(@ForAll @IntRange(min = 1, max = 20) int h,
                                             @ForAll @IntRange(min = 1, max = 20) int w,
                                             @ForAll @IntRange(min = 1, max = 3) int channels,
                                             @ForAll @IntRange(min = 1, max = 5) int numClasses,
                                             @ForAll @IntRange(min = 0, max = 5) int which,
                                             @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] image = new float[channels * h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = rnd.nextFloat();
        }
        int[] mask = new int[h * w];
        Set<Integer> allowed = new HashSet<>(List.of(IGNORE));
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rnd.nextInt(8) == 0 ? IGNORE : rnd.nextInt(numClasses);
            allowed.add(mask[i]);
        }
        Sample s = Sample.of("s", channels, h, w, image, mask);
        int ch = 1 + rnd.nextInt(24);
        int cw = 1 + rnd.nextInt(24);
        Transform t = switch (which) {
            case 0 -> Compose.of(RandomFlip.horizontal(1), RandomFlip.vertical(1));
            case 1 -> RandomRotation.degrees(30);
            case 2 -> new RandomScaleCrop(0.5, 2.0, ch, cw, 0f);
            case 3 -> new Resize(ch, cw);
            case 4 -> PadToMultiple.of(1 + rnd.nextInt(16));
            default -> Compose.of(RandomFlip.horizontal(0.5), RandomRotation.degrees(15),
                    new RandomScaleCrop(0.5, 1.5, ch, cw, 0f), PadToMultiple.of(8));
        };
        Sample out = t.apply(s, seed);
        assertEquals(channels, out.channels());
        assertEquals(out.height() * out.width(), out.mask().length);
        assertEquals(channels * out.height() * out.width(), out.image().length);
        for (int v : out.mask()) {
            assertTrue(allowed.contains(v), t + " produced mask value " + v + ", which the input did not hold");
        }
    }

    private static Path writeMask(int[] values, int h, int w, MaskStorage storage) throws IOException {
        BufferedImage img;
        String format = "png";
        switch (storage) {
            case PNG_GRAY8, TIFF_GRAY8, JPEG_GRAY8 -> img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            case PNG_GRAY16 -> img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
            case PNG_PALETTE -> img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, palette());
            default -> img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        }
        if (storage == MaskStorage.JPEG_GRAY8) {
            format = "jpg";
        } else if (storage == MaskStorage.TIFF_GRAY8) {
            format = "tiff";
        } else if (storage == MaskStorage.BMP_RGB_EQUAL) {
            format = "bmp";
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = values[y * w + x];
                if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
                    img.setRGB(x, y, (v << 16) | (v << 8) | v);
                } else {
                    img.getRaster().setSample(x, y, 0, v);
                }
            }
        }
        return write(img, format);
    }

    private static Path writeImage(int h, int w, ImageStorage storage, Random rnd) throws IOException {
        int type = switch (storage) {
            case PNG_GRAY8 -> BufferedImage.TYPE_BYTE_GRAY;
            case PNG_GRAY16 -> BufferedImage.TYPE_USHORT_GRAY;
            case PNG_RGBA -> BufferedImage.TYPE_4BYTE_ABGR;
            case PNG_PALETTE -> BufferedImage.TYPE_BYTE_INDEXED;
            default -> BufferedImage.TYPE_3BYTE_BGR;
        };
        BufferedImage img = storage == ImageStorage.PNG_PALETTE
                ? new BufferedImage(w, h, type, palette()) : new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < img.getRaster().getNumBands(); b++) {
                    int max = (1 << img.getSampleModel().getSampleSize(b)) - 1;
                    img.getRaster().setSample(x, y, b, rnd.nextInt(max + 1));
                }
            }
        }
        String format = storage == ImageStorage.BMP_RGB ? "bmp" : storage == ImageStorage.TIFF_RGB ? "tiff" : "png";
        return write(img, format);
    }

    /** A 256-entry palette of arbitrary colours (a palette mask's classes are its indices, not its colours). */
    private static IndexColorModel palette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (i * 37);
            g[i] = (byte) (i * 91);
            b[i] = (byte) (255 - i);
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    private static Path write(BufferedImage img, String format) throws IOException {
        Path file = Files.createTempFile("segnet-prop", "." + format);
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return file;
    }
}
