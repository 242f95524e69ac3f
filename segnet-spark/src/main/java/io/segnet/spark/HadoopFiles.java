package io.segnet.spark;

import io.segnet.common.io.AtomicFiles;
import io.segnet.data.io.ImageFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Files named by URI on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}, ...). Local files (no
 * scheme, or {@code file:}) are used in place through {@link java.nio.file} and written with segnet's
 * {@link AtomicFiles} (Hadoop's local file system would add {@code .crc} side files); files elsewhere are copied to a
 * local temporary file to be decoded, and written to a hidden temporary file renamed into place.
 */
public final class HadoopFiles {

    private HadoopFiles() {
    }

    /** Whether {@code uri} names a file of the local file system. */
    public static boolean isLocal(String uri) {
        String scheme = URI.create(uri.replace(" ", "%20")).getScheme();
        return scheme == null || scheme.equals("file") || uri.matches("^[A-Za-z]:[\\\\/].*");
    }

    /** The local path of a local {@code uri}. */
    public static Path localPath(String uri) {
        return uri.startsWith("file:") ? Paths.get(URI.create(uri.replace(" ", "%20"))) : Paths.get(uri);
    }

    /** The file name (last path element) of {@code uri}. */
    public static String name(String uri) {
        String u = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        return u.substring(u.lastIndexOf('/') + 1);
    }

    /** {@code child} below the folder {@code dir}. */
    public static String resolve(String dir, String child) {
        return dir.endsWith("/") ? dir + child : dir + "/" + child;
    }

    /**
     * A local copy of a file, to be read by segnet's decoders, deleted by {@link #close()} if it is a copy.
     *
     * @param path the local file
     * @param copy whether it is a temporary copy
     */
    public record Local(Path path, boolean copy) implements AutoCloseable {
        @Override
        public void close() {
            if (copy) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // a temporary file in the executor's scratch folder; the executor removes that folder
                }
            }
        }
    }

    /**
     * The file {@code uri} as a local file: itself if it is local, else a copy in the system's temporary folder
     * (the executor's scratch space under Spark), keeping the file name's extension.
     *
     * @throws NoSuchFileException if it does not exist
     */
    public static Local local(String uri, Configuration conf) throws IOException {
        if (isLocal(uri)) {
            return new Local(localPath(uri), false);
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        String name = name(uri);
        int dot = name.lastIndexOf('.');
        Path tmp = Files.createTempFile("segnet-", dot >= 0 ? name.substring(dot) : "");
        try (InputStream in = fs.open(p)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.FileNotFoundException e) {
            Files.deleteIfExists(tmp);
            throw new NoSuchFileException(uri, null, "no such file");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new Local(tmp, true);
    }

    /** The whole content of {@code uri}. */
    public static byte[] readAll(String uri, Configuration conf) throws IOException {
        if (isLocal(uri)) {
            return Files.readAllBytes(localPath(uri));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return in.readAllBytes();
        }
    }

    /** Whether {@code uri} exists. */
    public static boolean exists(String uri, Configuration conf) throws IOException {
        if (isLocal(uri)) {
            return Files.exists(localPath(uri), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        return p.getFileSystem(conf).exists(p);
    }

    /**
     * Writes {@code bytes} to {@code uri} so that readers see the old file or the whole new one, never part of it:
     * locally through {@link AtomicFiles}, elsewhere through a hidden temporary file in the same folder renamed into
     * place (atomic on HDFS; a copy on object stores such as S3, where a half-written file is never visible anyway).
     *
     * @throws FileAlreadyExistsException if the file exists and {@code overwrite} is false
     */
    public static void write(String uri, byte[] bytes, boolean overwrite, Configuration conf) throws IOException {
        if (isLocal(uri)) {
            AtomicFiles.write(localPath(uri), overwrite, out -> out.write(bytes));
            return;
        }
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = target.getFileSystem(conf);
        if (!overwrite && fs.exists(target)) {
            throw new FileAlreadyExistsException(uri, null, "exists");
        }
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(),
                "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            out.write(bytes);
        }
        try {
            if (overwrite) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target + (fs.exists(target)
                        ? ": the file appeared meanwhile" : ""));
            }
        } finally {
            fs.delete(tmp, false);
        }
    }

    /** Creates the folder {@code uri} and its parents. */
    public static void mkdirs(String uri, Configuration conf) throws IOException {
        if (isLocal(uri)) {
            Files.createDirectories(localPath(uri));
        } else {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            p.getFileSystem(conf).mkdirs(p);
        }
    }

    /**
     * The names of the entries of the folder {@code uri}, sorted; empty if it does not exist.
     *
     * @throws IOException if it is a file
     */
    public static List<String> list(String uri, Configuration conf) throws IOException {
        if (isLocal(uri)) {
            Path dir = localPath(uri);
            if (!Files.exists(dir)) {
                return List.of();
            }
            try (var s = Files.list(dir)) {
                return s.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            return List.of();
        }
        if (fs.getFileStatus(p).isFile()) {
            throw new IOException(uri + " is a file, not a folder");
        }
        return Arrays.stream(fs.listStatus(p)).map(s -> s.getPath().getName()).sorted().toList();
    }

    /**
     * The image files of the folder {@code uri} (PNG, JPEG, BMP, GIF, TIFF by extension), in name order, as URIs.
     *
     * @throws NoSuchFileException if the folder does not exist
     */
    public static List<String> images(String uri, Configuration conf) throws IOException {
        if (!exists(uri, conf)) {
            throw new NoSuchFileException(uri, null, "no such folder");
        }
        List<String> files = new ArrayList<>();
        if (isLocal(uri)) {
            for (String n : list(uri, conf)) {
                Path f = localPath(uri).resolve(n);
                if (Files.isRegularFile(f) && ImageFiles.isImageFile(f)) {
                    files.add(f.toString());
                }
            }
            return files;
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        for (FileStatus s : p.getFileSystem(conf).listStatus(p)) {
            if (s.isFile() && ImageFiles.isImageFile(Paths.get(s.getPath().getName()))) {
                files.add(s.getPath().toString());
            }
        }
        files.sort(null);
        return files;
    }
}
