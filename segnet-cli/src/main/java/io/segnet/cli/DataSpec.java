package io.segnet.cli;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.data.SampleSource;
import io.segnet.data.dataset.InMemorySource;
import io.segnet.data.m2nist.M2nistQuickstartData;
import io.segnet.data.source.DataSource;
import io.segnet.data.source.FolderSource;
import io.segnet.data.source.M2nistSource;
import io.segnet.data.source.MembraneSource;
import io.segnet.data.transform.Augmentation;
import io.segnet.train.ConfigFiles;
import io.segnet.inference.Preprocessing;
import io.segnet.train.TrainingData;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code data} section of a run's settings, one flat mapping that holds a {@link DataSource} (with its
 * {@code type}), its {@link Augmentation}, the normalisation ({@code mean}, {@code std}) and {@code cache}:
 * <pre>
 * data: {type: folder, images: a, masks: b, numClasses: 2, crop: [256, 256], flip: true, mean: [], std: []}
 * </pre>
 * The section is laid over the defaults ({@link #m2nist()}) field by field, so settings of another type than the
 * one chosen may be present and are ignored (run folders' {@code config.yaml} files of earlier versions list them
 * all); a field no type knows is an error.
 *
 * @param source        where the samples come from
 * @param augmentation  the random training transforms
 * @param preprocessing the normalisation of every image ({@code mean}, {@code std}; empty for none) and its input
 *                      size ({@code scale} or {@code resize}: training and validation images resized as read)
 * @param cache         decode all images into memory once
 */
public record DataSpec(DataSource source, Augmentation augmentation, Preprocessing preprocessing, boolean cache) {

    private static final List<Class<? extends Record>> SOURCE_TYPES = List.of(M2nistSource.class,
            MembraneSource.class, FolderSource.class);
    /** The keys of {@link Preprocessing}: normalisation and input size. */
    private static final Set<String> NORMALISATION_KEYS = Set.of("mean", "std", "scale", "resize");
    private static final Set<String> KNOWN_KEYS = Stream.of(
                    SOURCE_TYPES.stream().flatMap(t -> componentNames(t).stream()),
                    componentNames(Augmentation.class).stream(), NORMALISATION_KEYS.stream(),
                    Stream.of("type", "cache"))
            .flatMap(s -> s).collect(Collectors.toCollection(TreeSet::new));

    /** Requires every part. */
    public DataSpec {
        Objects.requireNonNull(source, "data source");
        Objects.requireNonNull(augmentation, "augmentation (Augmentation.none() for none)");
        Objects.requireNonNull(preprocessing, "preprocessing (Preprocessing.none() for none)");
    }

    /** The quickstart's data: generated M2NIST, no augmentation, normalised with mean 0.04, std 0.18, cached. */
    public static DataSpec m2nist() {
        return new DataSpec(M2nistSource.quickstart(), Augmentation.none(),
                Preprocessing.normalize(M2nistQuickstartData.MEAN, M2nistQuickstartData.STD), true);
    }

    /**
     * Reads the flat {@code data} section.
     *
     * @throws IllegalArgumentException naming the setting for an unknown type or field or a rejected value
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static DataSpec fromSection(ObjectNode section) {
        for (var it = section.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "' at data (known: "
                        + String.join(", ", KNOWN_KEYS) + ")");
            }
        }
        JsonNode t = section.get("type");
        String type = t == null || t.isNull() ? null : t.asText().strip().toLowerCase(Locale.ROOT);
        int index = DataSource.TYPES.indexOf(type);
        if (index < 0) {
            throw new IllegalArgumentException("data.type is '" + type + "'; use m2nist, membrane or folder");
        }
        ObjectNode sourceFields = pick(section, componentNames(SOURCE_TYPES.get(index))).put("type", type);
        DataSource source = convert(sourceFields, DataSource.class);
        Augmentation augmentation = convert(pick(section, componentNames(Augmentation.class)), Augmentation.class);
        Preprocessing preprocessing = convert(pick(section, NORMALISATION_KEYS), Preprocessing.class);
        JsonNode cache = section.get("cache");
        return new DataSpec(source, augmentation, preprocessing, cache == null || cache.asBoolean());
    }

    /** The flat {@code data} section of these settings. */
    @JsonValue
    ObjectNode toSection() {
        ObjectNode section = ConfigFiles.JSON.valueToTree(source);
        section.setAll((ObjectNode) ConfigFiles.JSON.valueToTree(augmentation));
        section.setAll((ObjectNode) ConfigFiles.JSON.valueToTree(preprocessing));
        return section.put("cache", cache);
    }

    /** The data source's type tag, e.g. {@code m2nist}. */
    public String type() {
        return DataSource.TYPES.get(SOURCE_TYPES.indexOf(source.getClass()));
    }

    /** The resolved data: sources and what a model needs to know about them. */
    public record Sources(SampleSource train, SampleSource validation, List<String> classNames, int channels,
                          int height, int width) {
    }

    /**
     * Opens the data: generates, lists or loads the images (decoding them all when {@code cache}).
     *
     * @throws io.segnet.data.DataException naming the file for unusable data
     */
    public Sources open(int threads) {
        return open(threads, true);
    }

    /**
     * Opens the data as {@link #open(int)} does, with the images at the size the model takes ({@code scale} or
     * {@code resize} applied: for training and its validation) or as stored (for evaluation, whose predictor resizes
     * each image and its logits back, so that it scores the masks at their own size).
     */
    public Sources open(int threads, boolean atInputSize) {
        DataSource.Parts parts = source.open();
        SampleSource tr = parts.train();
        SampleSource va = parts.validation();
        if (atInputSize && preprocessing.resizes()) {
            tr = resized(tr);
            va = va == null ? null : resized(va);
        }
        if (cache) {
            tr = InMemorySource.load(tr, threads);
            va = va == null ? null : InMemorySource.load(va, threads);
        }
        var first = tr.get(0);
        return new Sources(tr, va, tr.classNames(), first.channels(), augmentation.outputHeight(first.height()),
                augmentation.outputWidth(first.width()));
    }

    private SampleSource resized(SampleSource s) {
        return io.segnet.data.dataset.ResizedSource.of(s, preprocessing::inputSize);
    }

    /** The training data of {@code sources} for a model whose inputs must be multiples of {@code sizeMultiple}. */
    public TrainingData trainingData(Sources sources, int sizeMultiple) {
        return new TrainingData(sources.train(), augmentation.transform(sizeMultiple), sources.validation(),
                preprocessing, source.fingerprint(), this);
    }

    private static List<String> componentNames(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toList();
    }

    private static ObjectNode pick(ObjectNode section, java.util.Collection<String> keys) {
        ObjectNode out = ConfigFiles.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> e : section.properties()) {
            if (keys.contains(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static <T> T convert(ObjectNode fields, Class<T> type) {
        try {
            return ConfigFiles.JSON.treeToValue(fields, type);
        } catch (ValueInstantiationException e) {
            String at = e.getPath().isEmpty() ? "" : "data." + e.getPath().get(0).getFieldName() + ": ";
            throw new IllegalArgumentException(at + (e.getCause() != null ? e.getCause().getMessage()
                    : e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            String at = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? " at data." + m.getPath().get(0).getFieldName() : " in data";
            throw new IllegalArgumentException("invalid value" + at + ": " + e.getOriginalMessage(), e);
        }
    }
}
