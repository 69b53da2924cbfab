/**
 * The math reward function: finds the final answer of a response (boxes, answer phrases, GSM8K's
 * {@code ####}, choice letters), compares it with the reference answer in layers from normalised text
 * to exact numbers, structures and symbolic identities (an own LaTeX parser, exact rationals and
 * 50-digit {@link java.math.BigDecimal} checks, no CAS), under a time limit on worker threads, and
 * maps the verdict to a configurable reward scheme. The rules are in {@code docs/math-verifier.md}.
 *
 * @provides io.rlvr4j.api.RewardFunction selected in configuration by {@code rewards: [{name: math}]}
 */
module io.rlvr4j.verifier.math {
    requires io.rlvr4j.api;

    provides io.rlvr4j.api.RewardFunction with io.rlvr4j.verifier.math.internal.MathRewardFunction;
}
