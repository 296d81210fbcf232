/**
 * Backpropagation training: the {@link dev.propel.train.Trainer} and its
 * {@link dev.propel.train.TrainingConfig}, the {@link dev.propel.train.TrainingListener}s that observe a run
 * (progress bar, early stopping), learning-rate schedules as data, evaluation, and what a run measures
 * ({@link dev.propel.train.EpochMetrics}, {@link dev.propel.train.TrainingHistory}).
 */
package dev.propel.train;
