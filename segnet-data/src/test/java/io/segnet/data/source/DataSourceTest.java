package io.segnet.data.source;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.segnet.data.io.MaskFormat;
import io.segnet.data.m2nist.M2nistQuickstartData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final FolderSource FOLDER = new FolderSource("data/x/image", "data/x/label", "data/v/image",
            "data/v/label", 0, 0, 7, 3, List.of("sky", "road", "car"), MaskFormat.Preset.REDUCE_ZERO_LABEL, null,
            255, 3, "_mask");

    @Test
    void everySourceRoundTripsThroughJsonAndYamlWithItsTypeTag() throws Exception {
        for (DataSource s : List.of(M2nistSource.quickstart(), new MembraneSource("data/membrane/train", 5, 1),
                new MembraneSource(null, 0, 42), FOLDER)) {
            String json = JSON.writerFor(DataSource.class).writeValueAsString(s);
            assertEquals(s, JSON.readValue(json, DataSource.class), json);
            String yaml = YAML.writerFor(DataSource.class).writeValueAsString(s);
            assertEquals(s, YAML.readValue(yaml, DataSource.class), yaml);
        }
        String folder = JSON.writerFor(DataSource.class).writeValueAsString(FOLDER);
        assertTrue(folder.contains("\"type\":\"folder\"") && folder.contains("\"maskFormat\":\"reduceZeroLabel\""),
                folder);
    }

    @Test
    void fieldsLeftOutTakeTheDefaults() throws Exception {
        DataSource m = YAML.readValue("type: m2nist\ntrain: 100\n", DataSource.class);
        assertEquals(new M2nistSource(100, M2nistQuickstartData.VALIDATION, M2nistQuickstartData.SEED), m);
        FolderSource f = (FolderSource) YAML.readValue("{type: folder, images: a, masks: b, numClasses: 2,"
                + " maskFormat: Binary255}", DataSource.class);
        assertEquals(MaskFormat.Preset.BINARY255, f.maskFormat(), "mask formats read case-insensitively");
        assertEquals(255, f.ignoreValue());
        assertEquals("", f.maskSuffix());
        assertEquals(0, f.imageChannels());
        assertEquals(DataSource.DEFAULT_SEED, f.seed());
        assertEquals(MaskFormat.binary255(), f.datasetConfig().maskFormat());
        assertEquals(List.of("class0", "class1"), f.datasetConfig().classNames());
        MembraneSource membrane = (MembraneSource) YAML.readValue("type: membrane", DataSource.class);
        assertNull(membrane.root());
        assertEquals(MembraneSource.DEFAULT_VALIDATION_COUNT, membrane.validationCount());
    }

    @Test
    void mistakesNameTheSettingToFix() {
        assertMessage("data.images and data.masks", () -> new FolderSource("a", null, null, null, 0, 0, 42, 2, null,
                null, null, 255, 0, ""));
        assertMessage("data.validationImages and data.validationMasks", () -> new FolderSource("a", "b", "c", null,
                0, 0, 42, 2, null, null, null, 255, 0, ""));
        assertMessage("data.numClasses", () -> FolderSource.of("a", "b", 0));
        assertMessage("data.colorTable", () -> new FolderSource("a", "b", null, null, 0, 0, 42, 0, null,
                MaskFormat.Preset.RGB, null, 255, 0, ""));
        assertMessage("data.validationFraction", () -> new FolderSource("a", "b", null, null, 1.0, 0, 42, 2, null,
                null, null, 255, 0, ""));
        assertMessage("data.validationCount", () -> new FolderSource("a", "b", null, null, 0, -1, 42, 2, null,
                null, null, 255, 0, ""));
        assertMessage("data.validationCount", () -> new MembraneSource(null, -1, 42));
        assertMessage("data.train", () -> new M2nistSource(0, 10, 42));
        ValueInstantiationException e = assertThrows(ValueInstantiationException.class,
                () -> YAML.readValue("{type: folder, images: a, masks: b, numClasses: 2, maskFormat: png}",
                        DataSource.class));
        assertTrue(e.getMessage().contains("use index, binary255, reduceZeroLabel or rgb"), e.getMessage());
    }

    @Test
    void m2nistOpensDisjointPartsAndNoValidationForZero() {
        DataSource.Parts p = new M2nistSource(6, 2, 3).open();
        assertEquals(6, p.train().size());
        assertEquals(2, p.validation().size());
        assertNull(new M2nistSource(6, 0, 3).open().validation());
        assertEquals("m2nist seed=3 train=6 validation=2", new M2nistSource(6, 2, 3).fingerprint());
        assertEquals(new M2nistSource(6, 2, 9), new M2nistSource(6, 2, 3).withSeed(9));
    }

    /** Messages about validation scores name the validation folders where the data has them. */
    @Test
    void validationOriginNamesTheValidationFoldersWhereThereAreAny() {
        assertEquals("folder images=data/v/image masks=data/v/label", FOLDER.validationOrigin());
        FolderSource heldOut = new FolderSource("data/x/image", "data/x/label", null, null, 0.2, 0, 7, 3, null, null,
                null, 255, 3, null);
        assertEquals(heldOut.fingerprint(), heldOut.validationOrigin());
        assertEquals(new M2nistSource(6, 2, 3).fingerprint(), new M2nistSource(6, 2, 3).validationOrigin());
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
