package io.segnet.train.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.inference.Preprocessing;
import io.segnet.train.ConfigFiles;
import io.segnet.train.TrainerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingMetadataTest {

    private static TrainingMetadata meta(TrainerConfig trainer) {
        return new TrainingMetadata(new TrainerState(2, 0, 20, 0, 0.5, 1, 0, 3.5, false), trainer,
                List.of("a", "b"), Preprocessing.normalize(0.5, 0.25));
    }

    @Test
    void roundTripsTheEncoderSettings() {
        TrainingMetadata m = meta(TrainerConfig.defaults().withEncoderTraining(2, 0.1));
        assertEquals(m, ConfigFiles.convert(ConfigFiles.tree(m), TrainingMetadata.class, "test"));
    }

    @Test
    void aCheckpointWrittenBeforeASettingExistedReadsWithItsDefault() {
        ObjectNode tree = (ObjectNode) ConfigFiles.tree(meta(TrainerConfig.defaults()));
        ((ObjectNode) tree.get("trainer")).remove(List.of("freezeEncoderEpochs", "encoderLrScale"));
        assertEquals(meta(TrainerConfig.defaults()), ConfigFiles.convert(tree, TrainingMetadata.class, "old"));
    }

    /** Checkpoints written before the step-record window was stored resume with an empty window. */
    @Test
    void aStateWrittenBeforeTheStepWindowWasStoredReadsWithAnEmptyWindow() {
        TrainingMetadata inside = meta(TrainerConfig.defaults()).withState(new TrainerState(2, 3, 23, 6.5, 0.5, 1, 0,
                3.5, false, 2, 4.25));
        assertEquals(inside, ConfigFiles.convert(ConfigFiles.tree(inside), TrainingMetadata.class, "new"));
        ObjectNode tree = (ObjectNode) ConfigFiles.tree(inside);
        ((ObjectNode) tree.get("state")).remove(List.of("stepWindowSteps", "stepWindowLossSum"));
        TrainerState old = ConfigFiles.convert(tree, TrainingMetadata.class, "old").state();
        assertEquals(new TrainerState(2, 3, 23, 6.5, 0.5, 1, 0, 3.5, false), old);
        assertEquals(0, old.stepWindowSteps());
    }

    @Test
    void aBadTrainerSettingIsReportedWithItsMessage() {
        ObjectNode tree = (ObjectNode) ConfigFiles.tree(meta(TrainerConfig.defaults()));
        ((ObjectNode) tree.get("trainer")).put("encoderLrScale", 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigFiles.convert(tree, TrainingMetadata.class, "ckpt"));
        assertTrue(e.getMessage().contains("encoderLrScale is 0.0"), e.getMessage());
    }
}
