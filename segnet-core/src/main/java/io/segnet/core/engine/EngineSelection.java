package io.segnet.core.engine;

import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Which engine runs segnet's float convolutions and batch norm in this process, chosen once when the first layer
 * needs it.
 *
 * <ul>
 *   <li>{@code onednn} (the default): oneDNN called directly through its JavaCPP binding ({@code org.bytedeco:dnnl}),
 *       with primitives cached per shape ({@code engine.dnnl}).</li>
 *   <li>{@code portable}: libnd4j's own native ops ({@code conv2d}, {@code deconv2d}) and segnet's Java kernels
 *       ({@code engine.kernels}: atrous and depthwise convolution, batch norm, pooling, resize). It runs wherever
 *       ND4J runs, gives the same results to float rounding, and is slower (docs/benchmarks.md has the
 *       measurements).</li>
 * </ul>
 *
 * <p>The portable engine is chosen with the system property {@value #PROPERTY}{@code =portable} (e.g.
 * {@code java -Dsegnet.engine=portable -jar segnet.jar ...}), and automatically, with one log line saying why, when
 * oneDNN's binding has no native library for the platform or fails to load.
 */
public final class EngineSelection {
    /** The system property that selects the engine: {@code onednn} (default) or {@code portable}. */
    public static final String PROPERTY = "segnet.engine";

    private EngineSelection() {
    }

    /** Whether oneDNN runs here, decided once; the jar of its binding may be missing altogether. */
    private static final class OneDnn {
        static final boolean USABLE = usable();

        private static boolean usable() {
            try {
                return io.segnet.core.engine.dnnl.DnnlConvOps.available();
            } catch (LinkageError e) {
                LoggerFactory.getLogger(EngineSelection.class).warn("segnet uses its portable engine (libnd4j's ops and"
                        + " segnet's kernels, slower than oneDNN): oneDNN's binding (org.bytedeco:dnnl) is not on the"
                        + " class path: {}", e.toString());
                return false;
            }
        }
    }

    /**
     * True if segnet's float convolutions and batch norm run oneDNN directly: its binding is on the class path, its
     * native library loaded, and {@value #PROPERTY} does not ask for the portable engine.
     */
    public static boolean oneDnn() {
        return OneDnn.USABLE;
    }

    /**
     * One line naming the engine in use: oneDNN with its version, or the portable engine and why (for
     * {@code segnet --version}).
     */
    public static String describe() {
        return oneDnn() ? io.segnet.core.engine.dnnl.DnnlConvOps.engineDescription()
                : "portable (libnd4j ops and segnet kernels): " + (portableRequested()
                ? "selected with -D" + PROPERTY + "=portable" : reasonOneDnnIsMissing());
    }

    private static String reasonOneDnnIsMissing() {
        try {
            Throwable t = io.segnet.core.engine.dnnl.DnnlConvOps.loadFailure();
            return t == null ? "oneDNN unavailable" : "oneDNN's binding did not load: " + t;
        } catch (LinkageError e) {
            return "oneDNN's binding (org.bytedeco:dnnl) is not on the class path";
        }
    }

    /**
     * True if {@value #PROPERTY} asks for the portable engine.
     *
     * @throws IllegalArgumentException if the property has a value other than {@code onednn} or {@code portable}
     */
    public static boolean portableRequested() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "portable" -> true;
            case "onednn" -> false;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + " is not an engine; use -D"
                    + PROPERTY + "=onednn (the default) or -D" + PROPERTY + "=portable");
        };
    }
}
