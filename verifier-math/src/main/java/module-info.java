/**
 * The math reward function: extracts the last {@code \boxed{…}} answer of a response and compares it
 * with the reference answer, exactly after light normalisation or as numbers (integers, decimals,
 * fractions), then maps the verdict to a configurable reward scheme.
 *
 * @provides io.rlvr4j.api.RewardFunction selected in configuration by {@code rewards: [{name: math}]}
 */
module io.rlvr4j.verifier.math {
    requires io.rlvr4j.api;
    requires org.apfloat;

    provides io.rlvr4j.api.RewardFunction with io.rlvr4j.verifier.math.internal.MathRewardFunction;
}
