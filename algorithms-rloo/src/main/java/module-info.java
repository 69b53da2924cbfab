/**
 * Critic-free policy-gradient algorithms with group baselines and a PPO-style clipped update:
 * <ul>
 *   <li>{@code rloo}: leave-one-out baselines (Ahmadian et al. 2024, arXiv:2402.14740), as in Sky-T1;
 *   <li>{@code grpo}: group-normalised advantages (Shao et al. 2024, arXiv:2402.03300), or Dr. GRPO's
 *       mean-centred ones with {@code norm_by_std: false}.
 * </ul>
 *
 * @provides io.rlvr4j.api.Algorithm selected in configuration by {@code algorithm.name: rloo} or {@code grpo}
 */
module io.rlvr4j.algorithms.rloo {
    requires io.rlvr4j.api;

    provides io.rlvr4j.api.Algorithm with
            io.rlvr4j.algorithms.rloo.internal.RlooAlgorithm,
            io.rlvr4j.algorithms.rloo.internal.GrpoAlgorithm;
}
