package io.rlvr4j.algorithms.rloo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.math.Baselines;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroupAdvantagesTest {

    @Test
    void perSampleAppliesTheBaselineToEachGroupSeparately() {
        double[] adv = GroupAdvantages.perSample(List.of(Batches.group("a", 1, 0), Batches.group("b", 1, 1, 1)),
                new double[] {1, 0, 1, 1, 1}, Baselines::leaveOneOut);
        assertThat(adv).containsExactly(1, -1, 0, 0, 0);
        assertThatThrownBy(() -> GroupAdvantages.perSample(List.of(Batches.group("a", 1, 0)), new double[] {1, 0, 1}, Baselines::leaveOneOut))
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
    void miniBatchesPartitionTheGroupsIntoNearlyEqualParts() {
        for (int groups = 1; groups <= 20; groups++) {
            for (int parts = 1; parts <= groups; parts++) {
                List<int[]> split = GroupAdvantages.miniBatches(groups, parts, 42);
                assertThat(split).hasSize(parts);
                int[] all = split.stream().flatMapToInt(Arrays::stream).sorted().toArray();
                assertThat(all).isEqualTo(IntStream.range(0, groups).toArray());
                int min = split.stream().mapToInt(p -> p.length).min().orElseThrow();
                int max = split.stream().mapToInt(p -> p.length).max().orElseThrow();
                assertThat(max - min).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void oneMiniBatchKeepsTheGroupOrder() {
        assertThat(GroupAdvantages.miniBatches(5, 1, 7).getFirst()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void theSplitDependsOnlyOnTheSeed() {
        assertThat(GroupAdvantages.miniBatches(16, 4, 3)).usingRecursiveComparison().isEqualTo(GroupAdvantages.miniBatches(16, 4, 3));
        assertThat(Arrays.deepToString(GroupAdvantages.miniBatches(16, 4, 3).toArray()))
                .isNotEqualTo(Arrays.deepToString(GroupAdvantages.miniBatches(16, 4, 4).toArray()));
    }

    @Test
    void morePartsThanGroupsIsRejected() {
        assertThatThrownBy(() -> GroupAdvantages.miniBatches(2, 3, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGroupHasSignalOnlyWhenItsRewardsDiffer() {
        assertThat(GroupAdvantages.hasSignal(Batches.group("a", 1, 0))).isTrue();
        assertThat(GroupAdvantages.hasSignal(Batches.group("a", 0.5, 0.5))).isFalse();
    }
}
