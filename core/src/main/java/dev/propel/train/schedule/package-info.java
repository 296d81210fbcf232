/**
 * The learning-rate schedule types the core provides to every registry (constant, step, linear, cosine,
 * warm-up, linear-half), and {@link dev.propel.train.schedule.Schedules}, which converts a live schedule to
 * and from its data form (a chain of components, outermost first).
 */
package dev.propel.train.schedule;
