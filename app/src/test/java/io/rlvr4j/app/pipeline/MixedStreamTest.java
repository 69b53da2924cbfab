package io.rlvr4j.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MixedStreamTest {

    private static MixedStream mix(long seed) {
        ProblemStream a = new Fakes.Data().open(Settings.of(Map.of("domain", "math")));
        ProblemStream b = new Fakes.Data().open(Settings.of(Map.of("domain", "code")));
        return new MixedStream(List.of(a, b), List.of(1.0, 3.0), seed);
    }

    @Test
    void drawsByWeightAndIsAFunctionOfTheSeed() {
        List<String> first = mix(5).next(4000).stream().map(Problem::id).toList();
        assertThat(mix(5).next(4000).stream().map(Problem::id).toList()).isEqualTo(first);
        assertThat(mix(6).next(4000).stream().map(Problem::id).toList()).isNotEqualTo(first);
        long code = first.stream().filter(id -> id.startsWith("code-")).count();
        assertThat(code).isBetween(2850L, 3150L);
    }

    @Test
    void seekingResumesExactlyWhereTheStreamWas() {
        MixedStream s = mix(9);
        List<Problem> all = s.next(300);
        MixedStream resumed = mix(9);
        resumed.seek(137);
        assertThat(resumed.position()).isEqualTo(137);
        assertThat(resumed.next(163)).isEqualTo(all.subList(137, 300));
        resumed.seek(0);
        assertThat(resumed.next(10)).isEqualTo(all.subList(0, 10));
    }
}
