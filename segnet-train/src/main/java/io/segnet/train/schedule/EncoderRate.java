package io.segnet.train.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * The learning rate of a fine-tuned encoder: 0 while {@code epoch < frozenEpochs} (the encoder is frozen), then
 * {@code scale * base(iteration)}. Unlike the other schedules it reads the {@code epoch} argument, the graph's epoch
 * count, which the trainer sets at the start of every epoch (and a checkpoint stores), so a resumed run freezes and
 * unfreezes at the same epochs as an uninterrupted one.
 *
 * <p>With a rate of 0 every optimiser segnet uses leaves the parameters bit for bit as they are (Adam's and Nesterov
 * momentum's steps and the decoupled weight decay are all multiplied by the rate), while the optimiser's moments keep
 * accumulating the encoder's gradients.
 *
 * @param base         the schedule of the rest of the model
 * @param frozenEpochs epochs from the start during which the rate is 0, {@code >= 0}
 * @param scale        factor on {@code base} afterwards, {@code > 0}
 */
public record EncoderRate(@JsonProperty("base") ISchedule base, @JsonProperty("frozenEpochs") int frozenEpochs,
                          @JsonProperty("scale") double scale) implements ISchedule {

    /** Checks the ranges. */
    public EncoderRate {
        Objects.requireNonNull(base, "EncoderRate: base schedule is null");
        if (frozenEpochs < 0) {
            throw new IllegalArgumentException("EncoderRate: frozenEpochs is " + frozenEpochs + "; use 0 or more");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("EncoderRate: scale is " + scale + "; use a positive factor, e.g. 0.1");
        }
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return epoch < frozenEpochs ? 0 : scale * base.valueAt(iteration, epoch);
    }

    /** Immutable: returns itself. */
    @Override
    public ISchedule clone() {
        return this;
    }
}
