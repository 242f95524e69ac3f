package io.segnet.common.io;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * PNG files, written through {@link AtomicFiles}. The encoder writes into memory-cached streams: {@code ImageIO.write}
 * to a stream would cache in a temporary file and register a JVM shutdown hook for it, which fails with "Shutdown in
 * progress" once Ctrl-C or SIGTERM has started the JVM's shutdown (a training run still saving its curve then) and can
 * leave files in the temporary folder.
 */
public final class PngFiles {

    private PngFiles() {
    }

    /**
     * Writes {@code image} as a PNG to {@code file}, atomically.
     *
     * @param overwrite whether an existing file may be replaced
     * @throws java.nio.file.FileAlreadyExistsException if the file exists and {@code overwrite} is false
     * @throws IOException naming the image type if the runtime has no PNG writer for it
     */
    public static void write(Path file, RenderedImage image, boolean overwrite) throws IOException {
        AtomicFiles.write(file, overwrite, out -> encode(image, out));
    }

    /** Encodes {@code image} as a PNG into {@code out} (not closed), without temporary files or shutdown hooks. */
    public static void encode(RenderedImage image, OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        ImageWriter writer = null;
        while (writers.hasNext() && writer == null) {
            ImageWriter w = writers.next();
            if (w.getOriginatingProvider().canEncodeImage(image)) {
                writer = w;
            } else {
                w.dispose();
            }
        }
        if (writer == null) {
            throw new IOException("this Java runtime has no PNG writer for images of type "
                    + image.getClass().getSimpleName() + " (javax.imageio)");
        }
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(image);
        } finally {
            writer.dispose();
        }
    }
}
