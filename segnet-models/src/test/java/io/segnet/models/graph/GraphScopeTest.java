package io.segnet.models.graph;

import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.MaxPool2D;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphScopeTest {

    private static GraphScope root() {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().graphBuilder();
        return GraphScope.root(b, "input", 3, 16, 12);
    }

    @Test
    void namesFollowTheScopesAndShapesAreTracked() {
        GraphScope root = root();
        Node in = root.input();
        Node c = Blocks.convBnRelu(root.scope("encoder").scope("block", 1).scope("conv", 2), in, 8, 3, 2, 1, true);
        assertEquals("encoder.block1.conv2.bn", c.name());
        assertEquals(new Node("encoder.block1.conv2.bn", 8, 8, 6), c);
        Node p = root.scope("encoder").layer("pool", new MaxPool2D(2, 2), c);
        assertEquals("[8, 4, 3]", p.shape());
        Node d = Blocks.doubleConv(root.scope("decoder"), p, 5, false);
        assertEquals("decoder.conv2.conv", d.name());
        assertEquals(5, d.channels());
    }

    @Test
    void wiringMistakesFailWhileBuildingNamingTheVertex() {
        GraphScope root = root();
        Node in = root.input();
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> root.scope("stem").layer("conv", new Conv2D(4, 8, 3), in));
        assertTrue(channels.getMessage().contains("stem.conv") && channels.getMessage().contains("expected 4 input"
                + " channels"), channels.getMessage());

        Node half = root.layer("pool", new MaxPool2D(2, 2), in);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> root.scope("decoder").concat("concat", half, in));
        assertTrue(size.getMessage().contains("'decoder.concat' cannot concatenate maps of different sizes"),
                size.getMessage());

        root.scope("a").layer("conv", new Conv2D(3, 3, 1), in);
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> root.scope("a").layer("conv", new Conv2D(3, 3, 1), in));
        assertTrue(twice.getMessage().contains("'a.conv' is used twice"), twice.getMessage());

        assertThrows(IllegalArgumentException.class, () -> root.scope("a.b"));
    }
}
