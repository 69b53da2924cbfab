/** Shared RL maths in plain Java: group statistics, baselines, KL estimators, pass@k. */
package io.rlvr4j.api.math;
