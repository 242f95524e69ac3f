package io.segnet.inference;

import io.segnet.core.layers.Conv2D;
import io.segnet.core.loss.SegmentationLoss;
import io.segnet.data.DataProblem;
import io.segnet.data.io.ImageFiles;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FolderPredictionTest {

    private static Predictor predictor;

    @TempDir
    Path dir;

    @BeforeAll
    static void network() {
        var conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).updater(new NoOp()).seed(5)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("c1", new Conv2D(3, 3, 1), "in")
                .addLayer("loss", SegmentationLoss.crossEntropy(), "c1").setOutputs("loss").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        predictor = new Predictor(new InferenceNetwork(x -> g.output(false, x)[0], 3, 3, 1, 1), null,
                PredictorConfig.defaults());
    }

    private static FolderPrediction.Options options() {
        return FolderPrediction.Options.all(List.of("a", "b", "c"));
    }

    private Path images(String... stems) throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        for (String s : stems) {
            byte[] v = new byte[8 * 8];
            for (int i = 0; i < v.length; i++) {
                v[i] = (byte) (i * 31 + s.hashCode());
            }
            ImageFiles.writeGrayPng(in.resolve(s + ".png"), 8, 8, v);
        }
        return in;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesEveryOutputOfEveryImageAndMarksEachFolder() throws IOException {
        Path in = images("x", "y");
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("masks"));
        FolderPrediction.Summary s = FolderPrediction.run(predictor, in, out, options());
        assertEquals(2, s.images());
        assertEquals(6, s.files());
        assertTrue(s.skipped().isEmpty());
        for (String sub : List.of("masks", "color", "overlay")) {
            assertEquals(List.of(OutputFolder.MARKER, "x.png", "y.png"), names(out.resolve(sub)), sub);
        }
    }

    @Test
    void anOutputNameTheMarkerDoesNotListIsNeverReplaced() throws IOException {
        Path in = images("x");
        Path out = dir.resolve("out");
        FolderPrediction.run(predictor, in, out, options());
        images("z");
        byte[] mine = {1, 2, 3};
        Files.write(out.resolve("masks/z.png"), mine);
        var e = assertThrows(OutputFolderException.class,
                () -> FolderPrediction.run(predictor, in, out, options().withOverwrite(true)));
        assertTrue(e.getMessage().contains("z.png") && e.getMessage().contains("did not write"), e.getMessage());
        assertArrayEquals(mine, Files.readAllBytes(out.resolve("masks/z.png")));
        assertFalse(Files.exists(out.resolve("color/z.png")), "nothing written");
    }

    @Test
    void unreadableImagesAreAllListedAndSkipBadPredictsTheRest() throws IOException {
        Path in = images("x", "y");
        Files.write(in.resolve("bad.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        Path out = dir.resolve("out");
        var e = assertThrows(UnreadableImagesException.class,
                () -> FolderPrediction.run(predictor, in, out, options()));
        assertEquals(List.of(in.resolve("bad.png")), e.problems().stream().map(DataProblem::file).toList());
        assertTrue(e.getMessage().startsWith("1 of 3 input images cannot be read; nothing was written"),
                e.getMessage());
        assertFalse(Files.exists(out));

        FolderPrediction.Summary s = FolderPrediction.run(predictor, in, out, options().withSkipBad(true));
        assertEquals(2, s.images());
        assertEquals(List.of(in.resolve("bad.png")), s.skipped().stream().map(DataProblem::file).toList());
        assertEquals(List.of(OutputFolder.MARKER, "x.png", "y.png"), names(out.resolve("masks")));
    }

    @Test
    void skipBadStillRefusesWhenNoImageCanBeRead() throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.write(in.resolve("empty.png"), new byte[0]);
        var e = assertThrows(UnreadableImagesException.class, () -> FolderPrediction.run(predictor, in,
                dir.resolve("out"), options().withSkipBad(true)));
        assertTrue(e.getMessage().startsWith("the input image cannot be read"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void realPathResolvesLinksOfTheExistingPart() throws IOException {
        Path target = Files.createDirectories(dir.resolve("real/folder"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertEquals(target.toRealPath().resolve("new/deeper"), OutputFolder.realPath(link.resolve("new/deeper")));
        assertEquals(target.toRealPath(), OutputFolder.realPath(link.resolve("x/..")));
    }

    @Test
    void writesWhereItCheckedWhenTheOutputPathGoesUpThroughALink() throws IOException {
        Path in = images("x");
        Path deep = Files.createDirectories(dir.resolve("c/d"));
        Files.createDirectories(dir.resolve("a"));
        Files.createSymbolicLink(dir.resolve("a/link"), deep);
        Path out = dir.resolve("a/link/../preds");
        FolderPrediction.run(predictor, in, out, options());
        assertTrue(Files.isRegularFile(dir.resolve("c/preds/masks/x.png")), "a/link/.. is c, where the checks looked");
        assertFalse(Files.exists(dir.resolve("a/preds")));

        Path link = Files.createSymbolicLink(dir.resolve("into"), in);
        var e = assertThrows(OutputFolderException.class,
                () -> FolderPrediction.run(predictor, in, link.resolve("../in/sub"), options()));
        assertTrue(e.getMessage().contains("lies inside the input folder"), e.getMessage());
    }
}
