package io.rlvr4j.algorithms.rloo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.contract.Rollouts;
import io.rlvr4j.api.math.Baselines;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupAdvantagesTest {

    @Test
    void perSampleAppliesTheBaselineToEachGroupSeparately() {
        double[] adv = GroupAdvantages.perSample(List.of(Rollouts.group("a", 1, 0), Rollouts.group("b", 1, 1, 1)),
                new double[] {1, 0, 1, 1, 1}, Baselines::leaveOneOut);
        assertThat(adv).containsExactly(1, -1, 0, 0, 0);
        assertThatThrownBy(() -> GroupAdvantages.perSample(List.of(Rollouts.group("a", 1, 0)), new double[] {1, 0, 1}, Baselines::leaveOneOut))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void broadcastRepeatsEachAdvantageOverItsResponse() {
        List<TokenSequence> seqs = List.of(TokenSequence.of(new int[] {1}, new int[] {2, 3, 4}), TokenSequence.of(new int[] {1}, new int[0]));
        float[][] rows = GroupAdvantages.broadcast(new double[] {0.5, -2}, seqs);
        assertThat(rows[0]).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(rows[1]).isEmpty();
        assertThatThrownBy(() -> GroupAdvantages.broadcast(new double[] {1}, seqs)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGroupHasSignalOnlyWhenItsRewardsDiffer() {
        assertThat(GroupAdvantages.hasSignal(Rollouts.group("a", 1, 0))).isTrue();
        assertThat(GroupAdvantages.hasSignal(Rollouts.group("a", 0.5, 0.5))).isFalse();
    }
}
