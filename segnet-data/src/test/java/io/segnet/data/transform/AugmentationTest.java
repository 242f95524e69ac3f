package io.segnet.data.transform;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void roundTripsThroughYamlAndLeftOutFieldsTakeTheDefaults() throws Exception {
        Augmentation a = new Augmentation(List.of(256, 320), 0.5, 2, true, true, 10, 0.2);
        assertEquals(a, YAML.readValue(YAML.writeValueAsString(a), Augmentation.class));
        assertEquals(Augmentation.none(), YAML.readValue("{}", Augmentation.class));
        Augmentation flipOnly = YAML.readValue("flip: true", Augmentation.class);
        assertEquals(new Augmentation(List.of(), 1, 1, true, false, 0, 0), flipOnly);
    }

    @Test
    void elasticSettingsRoundTripAndDefaultToNoneOnAThreeByThreeGrid() throws Exception {
        Augmentation a = new Augmentation(List.of(128, 128), 1, 1, true, false, 0, 0, 10, 4);
        String yaml = YAML.writeValueAsString(a);
        assertTrue(yaml.contains("elastic: 10.0") && yaml.contains("elasticGrid: 4"), yaml);
        assertEquals(a, YAML.readValue(yaml, Augmentation.class));
        assertEquals(new Augmentation(List.of(), 1, 1, false, false, 0, 0, 10, 3),
                YAML.readValue("elastic: 10", Augmentation.class));
        Augmentation none = Augmentation.none();
        assertEquals(0, none.elastic());
        assertEquals(3, none.elasticGrid());
        assertEquals(new Augmentation(List.of(64, 48), 0.5, 2, true, true, 10, 0.2, 0, 3),
                new Augmentation(List.of(64, 48), 0.5, 2, true, true, 10, 0.2), "the 7-setting constructor has no"
                        + " elastic deformation");
    }

    /** The elastic deformation deforms the whole image (after the rotation), so it comes before the crop. */
    @Test
    void theElasticDeformationComesAfterTheRotationAndBeforeTheCrop() {
        Compose c = (Compose) new Augmentation(List.of(64, 48), 0.5, 2, true, false, 10, 0, 10, 3).transform(8);
        assertEquals(List.of(RandomFlip.horizontal(0.5), RandomRotation.degrees(10), ElasticDeformation.of(10, 3),
                new RandomScaleCrop(0.5, 2, 64, 48), PadToMultiple.of(8)), c.transforms());
        Compose alone = (Compose) new Augmentation(List.of(), 1, 1, false, false, 0, 0, 2.5, 5).transform(1);
        assertEquals(List.of(ElasticDeformation.of(2.5, 5)), alone.transforms());
        assertNull(new Augmentation(List.of(), 1, 1, false, false, 0, 0, 0, 5).transform(1), "elastic 0 is none");
    }

    @Test
    void buildsTheTransformsInOrderThenPadding() {
        assertNull(Augmentation.none().transform(1), "nothing to do");
        assertEquals(new Compose(List.of(PadToMultiple.of(8))), Augmentation.none().transform(8));
        Compose c = (Compose) new Augmentation(List.of(64, 48), 0.5, 2, true, true, 10, 0.2).transform(8);
        // The colour jitter comes first, the geometric transforms (which fill and pad) after it: the trainer
        // normalises between them (issue 13).
        assertEquals(List.of(new ColorJitter(0.2, 0.2, 0.2), RandomFlip.horizontal(0.5), RandomFlip.vertical(0.5),
                RandomRotation.degrees(10), new RandomScaleCrop(0.5, 2, 64, 48), PadToMultiple.of(8)),
                c.transforms());
        Augmentation crop = new Augmentation(List.of(64, 48), 1, 1, false, false, 0, 0);
        assertEquals(64, crop.outputHeight(100));
        assertEquals(48, crop.outputWidth(100));
        assertEquals(100, Augmentation.none().outputWidth(100));
    }

    @Test
    void mistakesNameTheSettingToFix() {
        assertMessage("data.crop", () -> new Augmentation(List.of(256), 1, 1, false, false, 0, 0));
        assertMessage("data.minScale/maxScale", () -> new Augmentation(List.of(), 2, 1, false, false, 0, 0));
        assertMessage("needs data.crop", () -> new Augmentation(List.of(), 0.5, 2, false, false, 0, 0));
        assertMessage("data.rotation and data.colorJitter", () -> new Augmentation(List.of(), 1, 1, false, false,
                -1, 0));
        assertMessage("data.elastic is -1.0", () -> new Augmentation(List.of(), 1, 1, false, false, 0, 0, -1, 3));
        assertMessage("data.elastic is NaN", () -> new Augmentation(List.of(), 1, 1, false, false, 0, 0, Double.NaN,
                3));
        assertMessage("data.elasticGrid is 1", () -> new Augmentation(List.of(), 1, 1, false, false, 0, 0, 10, 1));
        assertMessage("data.elasticGrid is 0", () -> new Augmentation(List.of(), 1, 1, false, false, 0, 0, 0, 0));
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
