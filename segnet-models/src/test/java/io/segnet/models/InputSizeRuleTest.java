package io.segnet.models;

import io.segnet.models.encoder.SmallEncoderConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The size rules of decoders that upsample by exact factors and of those that resize to their skips. */
class InputSizeRuleTest {

    private static final SmallEncoderConfig STRIDE_8 = new SmallEncoderConfig(16, 3, true);

    @Test
    void transposedConvolutionsNeedMultiplesOfTheStrideAndSayWhy() {
        InputSizeRule rule = InputSizeRule.forUpsampling("U-Net", STRIDE_8, Upsampling.TRANSPOSED);
        assertTrue(rule.accepts(64, 88));
        assertFalse(rule.accepts(64, 84));
        assertEquals(88, rule.padTo(84));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rule.check("m", 64, 84));
        assertTrue(e.getMessage().contains("U-Net with transposed-convolution upsampling needs multiples of the"
                + " encoder's output stride 8"), e.getMessage());
        assertTrue(e.getMessage().contains("pad the input to 64x88"), e.getMessage());
    }

    @Test
    void bilinearUpsamplingAcceptsAnySizeOfAtLeastTheStride() {
        InputSizeRule rule = InputSizeRule.forUpsampling("FCN", STRIDE_8, Upsampling.BILINEAR);
        assertEquals(InputSizeRule.atLeastStride(STRIDE_8), rule);
        assertTrue(rule.accepts(9, 300));
        assertFalse(rule.accepts(7, 300));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rule.check("m", 7, 300));
        assertTrue(e.getMessage().contains("smaller than 8x8 (the encoder's output stride)"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 8x300"), e.getMessage());
    }
}
