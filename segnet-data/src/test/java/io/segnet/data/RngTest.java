package io.segnet.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RngTest {

    @Test
    void sameSeedAndStreamsGiveTheSameSequence() {
        Rng a = Rng.of(42, 3, 7);
        Rng b = Rng.of(42, 3, 7);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
    }

    @Test
    void streamsAreOrderedAndIndependent() {
        assertNotEquals(Rng.of(42, 3, 7).nextLong(), Rng.of(42, 7, 3).nextLong());
        assertNotEquals(Rng.of(42, 0).nextLong(), Rng.of(42).nextLong());
        assertNotEquals(Rng.of(1, 5).nextLong(), Rng.of(2, 5).nextLong());
    }

    @Test
    void nextIntStaysInRangeAndCoversIt() {
        Rng r = Rng.of(1);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            assertTrue(c > 9_000 && c < 11_000, Arrays.toString(counts));
        }
        for (int i = 0; i < 1000; i++) {
            int v = r.nextInt(-3, 2);
            assertTrue(v >= -3 && v <= 2);
        }
    }

    @Test
    void nextDoubleIsInUnitInterval() {
        Rng r = Rng.of(9);
        double sum = 0;
        for (int i = 0; i < 10_000; i++) {
            double d = r.nextDouble();
            assertTrue(d >= 0 && d < 1);
            sum += d;
        }
        assertEquals(0.5, sum / 10_000, 0.02);
    }

    @Test
    void nextGaussianIsStandardNormalFromExactlyTwoDraws() {
        Rng r = Rng.of(11);
        int n = 40_000;
        double sum = 0;
        double squares = 0;
        int beyond196 = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            assertTrue(Double.isFinite(g));
            sum += g;
            squares += g * g;
            if (Math.abs(g) > 1.96) {
                beyond196++;
            }
        }
        double mean = sum / n;
        assertEquals(0, mean, 0.02); // standard error 0.005
        assertEquals(1, Math.sqrt(squares / n - mean * mean), 0.02); // standard error 0.0035
        assertEquals(0.05, beyond196 / (double) n, 0.006); // two-sided 5% tail, standard error 0.0011

        Rng a = Rng.of(3);
        Rng b = Rng.of(3);
        a.nextGaussian();
        b.nextLong();
        b.nextLong();
        assertEquals(b.nextLong(), a.nextLong(), "one normal uses exactly two draws");
        assertEquals(Rng.of(5, 1).nextGaussian(), Rng.of(5, 1).nextGaussian());
    }

    @Test
    void permutationHoldsEveryIndexOnce() {
        int[] p = Rng.of(5).permutation(100);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        int[] expected = new int[100];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, sorted);
        assertNotEquals(Arrays.toString(expected), Arrays.toString(p));
    }
}
