/**
 * Critic-free policy-gradient algorithms with group baselines and a PPO-style clipped update:
 * <ul>
 *   <li>{@code rloo}: leave-one-out baselines (Ahmadian et al. 2024, arXiv:2402.14740), as in Sky-T1;
 *   <li>{@code grpo}: group-normalised advantages (Shao et al. 2024, arXiv:2402.03300), or Dr. GRPO's
 *       mean-centred ones with {@code norm_by_std: false};
 *   <li>{@code reinforce_pp}: REINFORCE++ (Hu 2025, arXiv:2501.03262), KL-shaped token returns whitened
 *       over the batch, or REINFORCE++-baseline with {@code baseline: group}.
 * </ul>
 * Every one may put a KL penalty in the loss ({@code kl_coef}) or in the reward ({@code kl_reward_coef},
 * fixed or adaptive).
 *
 * @provides io.rlvr4j.api.Algorithm selected in configuration by {@code algorithm.name: rloo}, {@code grpo} or
 *     {@code reinforce_pp}
 */
module io.rlvr4j.algorithms.rloo {
    requires io.rlvr4j.api;
    requires io.rlvr4j.algorithms.kit;

    provides io.rlvr4j.api.Algorithm with
            io.rlvr4j.algorithms.rloo.internal.RlooAlgorithm,
            io.rlvr4j.algorithms.rloo.internal.GrpoAlgorithm,
            io.rlvr4j.algorithms.rloo.internal.ReinforcePlusPlusAlgorithm;
}
