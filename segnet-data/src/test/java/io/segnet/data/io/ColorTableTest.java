package io.segnet.data.io;

import io.segnet.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColorTableTest {

    @TempDir
    Path dir;

    @Test
    void readsTheJsonForm() throws Exception {
        Path f = Files.writeString(dir.resolve("t.json"), "{\"classes\": [{\"name\": \"road\", \"color\": [128, 64, 128]},"
                + " {\"name\": \"car\", \"color\": [0, 0, 142]}], \"ignore\": [[0, 0, 0]]}");
        ColorTable t = ColorTable.read(f);
        assertEquals(List.of("road", "car"), t.classNames());
        Map<Integer, Integer> lookup = t.lookup(255);
        assertEquals(0, lookup.get(0x804080));
        assertEquals(1, lookup.get(0x00008E));
        assertEquals(255, lookup.get(0));
        assertEquals(3, lookup.size());
    }

    @Test
    void writeThenReadGivesAnEqualTable() throws Exception {
        ColorTable t = new ColorTable(List.of(new ColorTable.ClassColor("a", new int[]{1, 2, 3})),
                List.of(new int[]{9, 9, 9}));
        Path f = dir.resolve("w.json");
        t.write(f);
        assertEquals(t, ColorTable.read(f));
    }

    @Test
    void duplicateColourNamesBothClassesAndTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("dup.json"), "{\"classes\": [{\"name\": \"road\", \"color\": [1, 2, 3]},"
                + " {\"name\": \"lane\", \"color\": [1, 2, 3]}]}");
        DataException e = assertThrows(DataException.class, () -> ColorTable.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("used by both class 'road' and class 'lane'"), e.getMessage());
    }

    @Test
    void badComponentAndUnknownFieldAreReported() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.json"), "{\"classes\": [{\"name\": \"x\", \"color\": [300, 0, 0]}]}");
        DataException e = assertThrows(DataException.class, () -> ColorTable.read(f));
        assertTrue(e.getMessage().contains("outside 0..255"), e.getMessage());
        Path g = Files.writeString(dir.resolve("typo.json"), "{\"clases\": []}");
        DataException e2 = assertThrows(DataException.class, () -> ColorTable.read(g));
        assertTrue(e2.getMessage().contains("clases") && e2.getMessage().contains("{\"classes\""), e2.getMessage());
    }
}
