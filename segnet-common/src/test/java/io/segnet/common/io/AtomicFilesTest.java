package io.segnet.common.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private long files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void writesAndReplacesOnlyWhenAllowed() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, false, "one");
        assertEquals("one", Files.readString(f));
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.writeString(f, false, "two"));
        assertEquals("one", Files.readString(f));
        AtomicFiles.writeString(f, true, "three");
        assertEquals("three", Files.readString(f));
        assertEquals(1, files(), "no temporary file is left behind");
    }

    @Test
    void aFailureWhileWritingLeavesThePreviousFile() throws IOException {
        Path f = dir.resolve("b.bin");
        AtomicFiles.writeString(f, false, "good");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, true, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("good", Files.readString(f));
        assertEquals(1, files());
    }

    @Test
    void aCrashBetweenWriteAndRenameLeavesThePreviousFile() throws IOException {
        Path f = dir.resolve("c.bin");
        AtomicFiles.writeString(f, false, "previous");
        Path[] seen = new Path[1];
        assertThrows(IOException.class, () -> AtomicFiles.write(f, true, out -> out.write("next".getBytes()), tmp -> {
            seen[0] = tmp;
            assertEquals("next", Files.readString(tmp), "the complete new content is on disk before the rename");
            throw new IOException("simulated crash before the rename");
        }));
        assertEquals("previous", Files.readString(f));
        assertEquals(1, files(), "the temporary file is deleted");
        assertTrue(seen[0].getFileName().toString().startsWith(".c.bin.") && seen[0].toString().endsWith(".tmp"));
    }

    @Test
    void aFileThatAppearsWhileWritingIsNotReplacedWithoutOverwrite() throws IOException {
        Path f = dir.resolve("d.json");
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.write(f, false,
                out -> out.write("mine".getBytes()), tmp -> Files.writeString(f, "theirs")));
        assertTrue(e.getReason().contains("overwrite = true"), e.getReason());
        assertEquals("theirs", Files.readString(f));
        assertEquals(1, files(), "the temporary file is deleted");
    }

    @Test
    void staleTemporariesAreRecognisedAndRemoved() throws IOException {
        Files.writeString(dir.resolve(".last.zip.k3j2.tmp"), "left by a crash");
        Files.writeString(dir.resolve("keep.txt"), "user file");
        Files.writeString(dir.resolve(".hidden"), "user file");
        assertEquals(1, AtomicFiles.deleteStaleTemporaries(dir));
        assertEquals(2, files());
    }
}
