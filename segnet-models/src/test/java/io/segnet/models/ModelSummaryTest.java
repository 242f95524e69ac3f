package io.segnet.models;

import io.segnet.models.unet.UNetConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary's parameters, statistics, shapes and FLOPs, against hand-computed values for a tiny U-Net. */
class ModelSummaryTest {

    @Test
    void tinyUNetMatchesHandComputedCounts() {
        // U-Net, base width 2, one pooling, 1 input channel, 2 classes, 8x8.
        SegmentationModel model = SegmentationModels.create(UNetConfig.classic(1, 2, 8, 8, 2, 1));
        ModelSummary s = model.summary();
        // Convolutions (no bias before batch norm): 1->2, 2->2 at 8x8; 2->4, 4->4 at 4x4; decoder 4->2, 2->2 at 8x8.
        // Transposed 2x2 conv 4->2 with bias; head 1x1 2->2 with bias; batch norm gamma+beta on 2, 2, 4, 4, 2, 2.
        long convs = 18 + 36 + 72 + 144 + 72 + 36;
        long up = 4 * 2 * 2 * 2 + 2;
        long head = 2 * 2 + 2;
        long bn = 2 * (2 + 2 + 4 + 4 + 2 + 2);
        assertEquals(convs + up + head + bn, s.parameters());
        assertEquals(2 * (2 + 2 + 4 + 4 + 2 + 2), s.statistics(), "running mean and variance");
        // FLOPs = 2 x weights x output pixels (input pixels for the transposed convolution).
        long flops = 2 * (18 * 64 + 36 * 64 + 72 * 16 + 144 * 16 + 72 * 64 + 36 * 64 + 32 * 16 + 4 * 64);
        assertEquals(flops, s.flops());
        assertEquals(model.parameterCount(), s.parameters());

        ModelSummary.Row up1 = s.rows().stream().filter(r -> r.name().equals("decoder.block0.up")).findFirst()
                .orElseThrow();
        assertEquals("TransposedConv2D", up1.type());
        assertEquals(List.of(2L, 8L, 8L), up1.shape());
        assertEquals(34, up1.parameters());
        assertEquals(2 * 32 * 16, up1.flops());
        assertEquals("input", s.rows().get(0).name());
        assertEquals("head.loss", s.rows().get(s.rows().size() - 1).name());

        ModelSummary bigger = model.summary(16, 24);
        assertEquals(s.parameters(), bigger.parameters());
        assertEquals(s.flops() * 6, bigger.flops(), "FLOPs scale with the pixel count");
        String table = s.toString();
        assertTrue(table.contains("decoder.block0.conv1.bn") && table.contains("trainable parameters: 450"), table);
        assertTrue(table.contains("multiply-adds"), table);
    }
}
