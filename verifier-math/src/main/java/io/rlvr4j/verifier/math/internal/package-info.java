/**
 * The math verifier: {@link io.rlvr4j.verifier.math.internal.FinalAnswerExtractor} finds the final
 * answer (boxes, answer phrases, GSM8K's {@code ####}, bare short responses);
 * {@link io.rlvr4j.verifier.math.internal.GoldAnswers} turns a dataset's reference answer (worked
 * solution, {@code ####}, JSON list or bare) into the answers a prediction may match;
 * {@link io.rlvr4j.verifier.math.internal.Equivalence} compares them in layers, over the answer tree of
 * {@link io.rlvr4j.verifier.math.internal.LatexParser}; {@link io.rlvr4j.verifier.math.internal.RewardScheme}
 * prices the verdict. The rules are documented for users in {@code docs/math-verifier.md}. Not exported:
 * the app reaches the verifier through {@link io.rlvr4j.api.RewardFunction}.
 */
package io.rlvr4j.verifier.math.internal;
