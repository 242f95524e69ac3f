package com.example.segmentation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentImagesTest {
    @Test
    void snippetBuildsPredictsSavesAndReloadsWithTheSameOutput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("unet.zip");
        SegmentImages.main(new String[]{file.toString()});   // throws if the reloaded model predicts differently
        assertTrue(Files.size(file) > 0, "the model file was written");
    }
}
