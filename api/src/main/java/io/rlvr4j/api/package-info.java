/**
 * The five SPIs ({@link io.rlvr4j.api.PolicyBackend}, {@link io.rlvr4j.api.RolloutEngine},
 * {@link io.rlvr4j.api.Algorithm}, {@link io.rlvr4j.api.RewardFunction},
 * {@link io.rlvr4j.api.DataSource}), the objects they create and the records that cross them.
 */
package io.rlvr4j.api;
