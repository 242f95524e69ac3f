package io.segnet.train.log;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One line of a metrics log, tagged by {@code "type"}: {@code "step"} ({@link StepRecord}) or {@code "epoch"}
 * ({@link EpochRecord}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = StepRecord.class, name = "step"),
        @JsonSubTypes.Type(value = EpochRecord.class, name = "epoch")})
public sealed interface LogRecord permits StepRecord, EpochRecord {

    /** The optimiser iterations completed when the record was written. */
    long iteration();
}
