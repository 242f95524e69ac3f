package io.segnet.train.checkpoint;

import io.segnet.inference.Preprocessing;
import io.segnet.models.LossConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.train.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {

    @TempDir
    Path dir;

    private static SegmentationModel model() {
        return SegmentationModels.create(new UNetConfig(1, 3, 8, 8, new SmallEncoderConfig(2, 1, true),
                Upsampling.TRANSPOSED, true, List.of(), LossConfig.crossEntropy()));
    }

    private static TrainingMetadata meta(int iteration) {
        return new TrainingMetadata(new TrainerState(1, 0, iteration, 0, 0.5, 1, 0, 12.5, false),
                TrainerConfig.defaults(), List.of("a", "b", "c"), Preprocessing.normalize(0.5, 0.25));
    }

    private static void step(SegmentationModel m) {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 1, 8, 8).addi(2);
        m.fit(x, y);
    }

    @Test
    void roundTripsModelOptimiserStateAndMetadata() throws IOException {
        SegmentationModel m = model();
        step(m);
        Path f = dir.resolve("last.zip");
        Checkpoint.save(f, m, meta(1));
        Checkpoint.Contents c = Checkpoint.load(f);
        assertArrayEquals(m.graph().params().data().asFloat(), c.model().graph().params().data().asFloat());
        assertArrayEquals(m.graph().getUpdater().getStateViewArray().data().asFloat(),
                c.model().graph().getUpdater().getStateViewArray().data().asFloat());
        assertEquals(meta(1), c.metadata().orElseThrow());
        assertEquals(1, c.model().graph().getIterationCount());
        assertTrue(SegmentationModel.load(f).graph().numParams() > 0, "a checkpoint is an ordinary model file");
        TrainingMetadata nan = meta(1).withState(TrainerState.start());
        Checkpoint.save(f, m, nan);
        assertTrue(Double.isNaN(Checkpoint.readMetadata(f).orElseThrow().state().bestValue()));
    }

    @Test
    void aCrashWhileSavingLeavesThePreviousCheckpointLoadable() throws IOException {
        SegmentationModel m = model();
        Path f = dir.resolve("last.zip");
        Checkpoint.save(f, m, meta(0));
        float[] saved = m.graph().params().dup().data().asFloat();
        step(m);
        assertThrows(IOException.class, () -> Checkpoint.save(f, m, meta(1), tmp -> {
            throw new IOException("simulated crash between writing and renaming " + tmp);
        }));
        Checkpoint.Contents c = Checkpoint.load(f);
        assertArrayEquals(saved, c.model().graph().params().data().asFloat());
        assertEquals(0, c.metadata().orElseThrow().state().iteration());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("last.zip"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aPlainModelHasNoMetadataAndOtherFilesAreRejected() throws IOException {
        SegmentationModel m = model();
        Path plain = dir.resolve("plain.zip");
        m.save(plain);
        assertTrue(Checkpoint.load(plain).metadata().isEmpty());
        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "not a zip");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.readMetadata(text));
        assertTrue(e.getMessage().contains("not a segnet checkpoint"), e.getMessage());
    }
}
