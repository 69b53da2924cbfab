package io.rlvr4j.algorithms.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MiniBatchesTest {

    @Test
    void miniBatchesPartitionTheItemsIntoNearlyEqualParts() {
        for (int groups = 1; groups <= 20; groups++) {
            for (int parts = 1; parts <= groups; parts++) {
                List<int[]> split = MiniBatches.split(groups, parts, 42);
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
    void oneMiniBatchKeepsTheOrder() {
        assertThat(MiniBatches.split(5, 1, 7).getFirst()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void theSplitDependsOnlyOnTheSeed() {
        assertThat(MiniBatches.split(16, 4, 3)).usingRecursiveComparison().isEqualTo(MiniBatches.split(16, 4, 3));
        assertThat(Arrays.deepToString(MiniBatches.split(16, 4, 3).toArray()))
                .isNotEqualTo(Arrays.deepToString(MiniBatches.split(16, 4, 4).toArray()));
    }

    @Test
    void morePartsThanItemsIsRejected() {
        assertThatThrownBy(() -> MiniBatches.split(2, 3, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowsSelectInTheGivenOrder() {
        assertThat(MiniBatches.rows(List.of("a", "b", "c"), List.of(2, 0))).containsExactly("c", "a");
        float[][] all = {{1}, {2, 2}, {3}};
        assertThat(MiniBatches.rows(all, List.of(1))[0]).isSameAs(all[1]);
    }
}
