package io.segnet.data.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.segnet.data.io.ColorTable;
import io.segnet.data.io.MaskFormat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetConfigTest {

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void defaults() {
        DatasetConfig c = DatasetConfig.of(3);
        assertEquals(List.of("class0", "class1", "class2"), c.classNames());
        assertEquals(255, c.ignoreValue());
        assertEquals(MaskFormat.index(), c.maskFormat());
        assertEquals(0, c.imageChannels());
        assertEquals("", c.maskSuffix());
    }

    @Test
    void invalidSettingsSayWhatToChange() {
        assertTrue(error(() -> DatasetConfig.of(2).withIgnoreValue(1)).contains("the usual value is 255"));
        assertTrue(error(() -> DatasetConfig.of(300)).contains("use e.g. 65535"));
        assertTrue(error(() -> DatasetConfig.of(2).withClassNames(List.of("a"))).contains("one name per class"));
        assertTrue(error(() -> DatasetConfig.of(2).withImageChannels(2)).contains("use 0 (as stored), 1"));
        assertTrue(error(() -> DatasetConfig.of(2).withMaskSuffix("a/b")).contains("path separator"));
        assertTrue(error(() -> DatasetConfig.of(2).withMaskFormat(MaskFormat.valueMap(Map.of(255, 5))))
                .contains("maps stored value 255 to 5"));
        ColorTable t = ColorTable.of(new ColorTable.ClassColor("a", new int[]{1, 1, 1}));
        assertTrue(error(() -> DatasetConfig.of(2).withMaskFormat(MaskFormat.rgb(t))).contains("DatasetConfig.rgb(table)"));
        assertTrue(error(() -> MaskFormat.rgb(t).withReduceZeroLabel(true)).contains("edit the table instead"));
        assertTrue(error(() -> DatasetConfig.of(0)).contains("at least 1 class"));
    }

    @Test
    void configsRoundTripThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        DatasetConfig binary = DatasetConfig.binary255().withImageChannels(3).withMaskSuffix("_m");
        assertEquals(binary, json.readValue(json.writeValueAsString(binary), DatasetConfig.class));
        DatasetConfig rgb = DatasetConfig.rgb(new ColorTable(List.of(new ColorTable.ClassColor("road",
                new int[]{128, 64, 128}), new ColorTable.ClassColor("car", new int[]{0, 0, 142})), List.of(new int[]{0, 0, 0})));
        assertEquals(rgb, json.readValue(json.writeValueAsString(rgb), DatasetConfig.class));
        DatasetConfig reduce = DatasetConfig.of(150).withMaskFormat(MaskFormat.reducedZeroLabel());
        assertEquals(reduce, json.readValue(json.writeValueAsString(reduce), DatasetConfig.class));
    }
}
