/**
 * The code reward function: the program in a response's last fenced code block, run against the
 * problem's stdin/stdout or HumanEval-style tests in GraalPy under GraalVM Polyglot's constrained
 * sandbox, with per-test CPU, wall-clock, output and stack limits. The rules are in
 * {@code docs/code-verifier.md}.
 *
 * @provides io.rlvr4j.api.RewardFunction selected in configuration by {@code rewards: [{name: code}]}
 */
module io.rlvr4j.verifier.code {
    requires io.rlvr4j.api;
    requires org.graalvm.polyglot;
    requires java.management; // the judge threads' CPU time, for the per-test limit

    provides io.rlvr4j.api.RewardFunction with io.rlvr4j.verifier.code.internal.CodeRewardFunction;
}
