/**
 * Learning-rate schedules as DL4J {@link org.nd4j.linalg.schedule.ISchedule}s, stored inside a graph's JSON (so a
 * checkpoint resumes with its schedule): {@link io.segnet.train.schedule.PolyDecay} ({@code (1 - i/max)^p}, DeepLab),
 * {@link io.segnet.train.schedule.CosineDecay} (SGDR without restarts), {@link io.segnet.train.schedule.StepDecay},
 * {@link io.segnet.train.schedule.ConstantRate}, and {@link io.segnet.train.schedule.LinearWarmup} around any of them;
 * {@link io.segnet.train.schedule.EncoderRate} scales (or, while the encoder is frozen, zeroes) one of them for the
 * encoder of a fine-tuned model.
 * {@link io.segnet.train.schedule.ScheduleConfig} is the data form a trainer config holds.
 *
 * <p>All of them count optimiser iterations (the {@code iteration} argument, from 0), never epochs (except
 * {@code EncoderRate}, frozen for whole epochs), and are immutable.
 * DL4J's own {@code PolySchedule} is not used: it computes {@code init * (1 + i/max)^p}, which grows.
 */
package io.segnet.train.schedule;
