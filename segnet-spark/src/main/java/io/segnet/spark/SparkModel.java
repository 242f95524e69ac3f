package io.segnet.spark;

import io.segnet.inference.Predictor;
import io.segnet.inference.PredictorConfig;
import io.segnet.inference.Preprocessing;
import io.segnet.models.SegmentationModel;
import io.segnet.train.checkpoint.Checkpoint;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A saved model (a checkpoint or an export) to be sent to executors once, in a Spark broadcast variable: the file's
 * bytes and a unique id. On each executor JVM the model is loaded once, with batch norm folded for inference
 * ({@link SegmentationModel#foldedForInference}), and kept while tasks of the same job (or later jobs with the same
 * broadcast) need it: every task on that executor shares it. The most recent {@value #KEPT} models are kept.
 */
public final class SparkModel implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How many loaded models an executor keeps. */
    static final int KEPT = 2;

    private static final Map<String, Loaded> LOADED = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
            return size() > KEPT;
        }
    };

    private final String id;
    private final String source;
    private final byte[] bytes;

    private SparkModel(String id, String source, byte[] bytes) {
        this.id = id;
        this.source = source;
        this.bytes = bytes;
    }

    /**
     * Reads the model file {@code uri} (any Hadoop file system) on the driver and checks that it loads.
     *
     * @throws IOException naming the file if it is missing or not a segnet model
     */
    public static SparkModel read(String uri, Configuration conf) throws IOException {
        if (!HadoopFiles.exists(uri, conf)) {
            throw new java.nio.file.NoSuchFileException(uri, null, "no model file there (a run writes best.zip and"
                    + " last.zip into its run folder)");
        }
        SparkModel m = new SparkModel(UUID.randomUUID().toString(), uri, HadoopFiles.readAll(uri, conf));
        m.load();
        return m;
    }

    /** Where the model was read from. */
    public String source() {
        return source;
    }

    /** The model with what prediction needs from its checkpoint, and the predictors made from it. */
    public static final class Loaded {
        private final SegmentationModel model;
        private final Preprocessing preprocessing;
        private final List<String> classNames;
        private final Map<PredictorConfig, Predictor> predictors = new ConcurrentHashMap<>();

        Loaded(SegmentationModel model, Preprocessing preprocessing, List<String> classNames) {
            this.model = model;
            this.preprocessing = preprocessing;
            this.classNames = List.copyOf(classNames);
        }

        /** The model, batch norm folded for inference. */
        public SegmentationModel model() {
            return model;
        }

        /** Its training preprocessing (none without training metadata). */
        public Preprocessing preprocessing() {
            return preprocessing;
        }

        /** Its class names ({@code class0..} without training metadata). */
        public List<String> classNames() {
            return classNames;
        }

        /**
         * The predictor with these tiling and test-time augmentation settings. Concurrent tasks of an executor get
         * the same one: the network is not thread-safe, and a predictor serialises its calls. (Each job reads its
         * own {@link SparkModel}, and one job uses one setting, so two predictors never share a network at once.)
         */
        public Predictor predictor(PredictorConfig config) {
            return predictors.computeIfAbsent(config, c -> Predictor.of(model, preprocessing, c));
        }
    }

    /** This model, loaded once per JVM (thread-safe; concurrent tasks wait for the first load). */
    public Loaded load() {
        synchronized (LOADED) {
            Loaded l = LOADED.get(id);
            if (l == null) {
                l = loadNow();
                LOADED.put(id, l);
            }
            return l;
        }
    }

    private Loaded loadNow() {
        try {
            Checkpoint.Contents c = readThroughTempFile(bytes, Checkpoint::loadForInference);
            return new Loaded(c.model().toInference(), c.preprocessing(), c.classNames());
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " is not a segnet model that loads: " + e.getMessage(), e);
        }
    }

    /** Reads from a file; segnet's model readers take paths. */
    @FunctionalInterface
    interface FileReader<T> {
        T read(Path file) throws IOException;
    }

    /** Writes a file. */
    @FunctionalInterface
    interface FileWriter {
        void write(Path file) throws IOException;
    }

    /** What {@code reader} makes of {@code bytes}, through a local temporary file deleted afterwards. */
    static <T> T readThroughTempFile(byte[] bytes, FileReader<T> reader) throws IOException {
        Path tmp = Files.createTempFile("segnet-model-", ".zip");
        try {
            Files.write(tmp, bytes);
            return reader.read(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The bytes {@code writer} writes, through a local temporary file deleted afterwards. */
    static byte[] writeThroughTempFile(FileWriter writer) throws IOException {
        Path tmp = Files.createTempFile("segnet-model-", ".zip");
        try {
            writer.write(tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
