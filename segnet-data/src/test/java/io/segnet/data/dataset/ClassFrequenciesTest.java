package io.segnet.data.dataset;

import io.segnet.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassFrequenciesTest {

    private static Sample sample(String id, int... mask) {
        return Sample.of(id, 1, 1, mask.length, new float[mask.length], mask);
    }

    /**
     * Image a: 3 pixels of class 0, 1 of class 1 (one ignored); image b: 2 of class 0, 2 of class 2. freq_0 = 5/8,
     * freq_1 = 1/4, freq_2 = 2/4; median 1/2; weights 0.8, 2, 1; class 3 absent: 0.
     */
    @Test
    void medianFrequencyWeightsFollowEigenAndFergus() {
        InMemorySource source = InMemorySource.of(List.of(sample("a", 0, 0, 0, 1, 255),
                sample("b", 0, 2, 2, 0)), 4, List.of("bg", "one", "two", "three"));
        ClassFrequencies f = ClassFrequencies.count(source);
        assertArrayEquals(new long[]{5, 1, 2, 0}, f.pixels());
        assertArrayEquals(new long[]{8, 4, 4, 0}, f.presentPixels());
        assertArrayEquals(new double[]{0.8, 2.0, 1.0, 0.0}, f.medianFrequencyWeights(), 1e-12);
        assertArrayEquals(new int[]{3}, f.absentClasses());
    }

    @Test
    void aValueOutsideTheClassesNamesTheSample() {
        InMemorySource source = InMemorySource.of(List.of(sample("odd", 0, 7)), 2, List.of("bg", "fg"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassFrequencies.count(source));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'odd'"), e.getMessage());
    }
}
