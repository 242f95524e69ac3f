package io.segnet.train.schedule;

/** Shared argument checks of the schedules. */
final class Schedules {

    private Schedules() {
    }

    static void requireRate(String who, String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(who + ": " + name + " is " + value
                    + "; a learning rate must be positive and finite, e.g. 1e-3");
        }
    }

    static void requireIterations(String who, String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(who + ": " + name + " is " + value + "; use at least 1 iteration");
        }
    }

    static void requireMin(String who, double min, double initial) {
        if (!(min >= 0 && min <= initial)) {
            throw new IllegalArgumentException(who + ": min is " + min + "; use a final value in [0, initial = "
                    + initial + "]");
        }
    }
}
