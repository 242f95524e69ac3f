package io.segnet.train.checkpoint;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.segnet.inference.Preprocessing;
import io.segnet.train.ConfigFiles;
import io.segnet.train.TrainerConfig;

import java.util.List;
import java.util.Objects;

/**
 * What a checkpoint holds besides the model: the trainer's state and settings, the names of the classes, and the
 * preprocessing that prediction must repeat. Stored as JSON in the checkpoint zip ({@value Checkpoint#ENTRY}).
 *
 * @param state         where the run stands
 * @param trainer       the trainer's settings
 * @param classNames    one name per class id (for reports and legends)
 * @param preprocessing the image preprocessing of training
 */
public record TrainingMetadata(TrainerState state, TrainerConfig trainer, List<String> classNames,
                               Preprocessing preprocessing) {

    /** Requires every part. */
    public TrainingMetadata {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(trainer, "trainer");
        classNames = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
        Objects.requireNonNull(preprocessing, "preprocessing");
    }

    /**
     * Reads the JSON form; the trainer settings are laid over {@link TrainerConfig#defaults()}, so a checkpoint
     * written before a setting existed reads with its default.
     */
    @JsonCreator
    static TrainingMetadata fromJson(@JsonProperty("state") TrainerState state,
                                     @JsonProperty("trainer") JsonNode trainer,
                                     @JsonProperty("classNames") List<String> classNames,
                                     @JsonProperty("preprocessing") Preprocessing preprocessing) {
        TrainerConfig settings = trainer == null || trainer.isNull() ? null : ConfigFiles.convert(
                ConfigFiles.merge(ConfigFiles.tree(TrainerConfig.defaults()), trainer), TrainerConfig.class,
                "trainer settings");
        return new TrainingMetadata(state, settings, classNames, preprocessing);
    }

    /** This metadata with another state. */
    public TrainingMetadata withState(TrainerState newState) {
        return new TrainingMetadata(newState, trainer, classNames, preprocessing);
    }
}
