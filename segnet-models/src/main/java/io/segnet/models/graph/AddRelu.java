package io.segnet.models.graph;

/**
 * The residual sum's former name, kept so that models saved by segnet 0.1 before the vertex moved to segnet-core
 * still load: DL4J stores each vertex's class name in the saved graph, and files written then name this class.
 * It computes exactly what {@link io.segnet.core.graph.AddRelu} computes; new graphs use that class.
 *
 * @deprecated use {@link io.segnet.core.graph.AddRelu}; this class only reads old files
 */
@Deprecated
public class AddRelu extends io.segnet.core.graph.AddRelu {

    /** A residual sum followed by ReLU (as {@link io.segnet.core.graph.AddRelu}). */
    public AddRelu() {
    }
}
