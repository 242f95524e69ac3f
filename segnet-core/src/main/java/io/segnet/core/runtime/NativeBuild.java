package io.segnet.core.runtime;

import io.segnet.core.engine.EngineSelection;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What native code this process runs: ND4J's native build (its classifier, e.g. {@code linux-x86_64-onednn-avx2},
 * read from the library JavaCPP loaded, not from the build), the BLAS ND4J uses, and the engine of segnet's
 * convolutions ({@link EngineSelection#describe()}). For {@code segnet --version} and bug reports.
 */
public final class NativeBuild {
    private NativeBuild() {
    }

    /**
     * ND4J's native build in use: the folder name of the loaded {@code nd4jcpu} library (its Maven classifier), e.g.
     * {@code linux-x86_64-onednn-avx2}; loads ND4J's backend if it is not loaded yet.
     */
    public static String nd4jClassifier() {
        Nd4j.getBackend();
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().equals("nd4jcpu") || e.getKey().startsWith("nd4jcpu@")) {
                Path parent = Path.of(e.getValue()).getParent();
                return parent == null ? e.getValue() : parent.getFileName().toString();
            }
        }
        return "unknown (" + Nd4j.getBackend().getClass().getSimpleName() + ")";
    }

    /** Lines describing the native build, the BLAS, the engine and the cores, one fact each. */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        Map<Object, Object> env = Nd4j.getExecutioner().getEnvironmentInformation();
        lines.add("ND4J native build: " + nd4jClassifier() + " (platform " + Loader.getPlatform() + ", BLAS "
                + env.getOrDefault("blas.vendor", "?") + ")");
        lines.add("convolution engine: " + EngineSelection.describe());
        lines.add("cores: " + env.getOrDefault("cores", Runtime.getRuntime().availableProcessors())
                + ", OpenMP threads: " + env.getOrDefault("omp.threads", "?"));
        return lines;
    }
}
