package io.rlvr4j.data.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProgrammingTaskDataSourceTest {

    private static List<Problem> problems(Map<String, ?> settings, int n) {
        try (ProblemStream s = new ProgrammingTaskDataSource().open(Settings.of(settings))) {
            List<Problem> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(s.next());
            return out;
        }
    }

    @Test
    void aProblemHasAPromptTestsAndAFencedSolution() {
        Problem p = problems(Map.of("seed", 1), 1).getFirst();
        assertThat(p.domain()).isEqualTo("code");
        assertThat(p.prompt()).startsWith("Read a line of integers and print ").endsWith(".\n");
        assertThat(p.metadata().get("solution").toString()).startsWith("```python\na=list(map(int,input().split()))\nprint(").endsWith("\n```");
        assertThat((List<?>) p.metadata().get("inputs")).hasSize(3);
        assertThat((List<?>) p.metadata().get("outputs")).hasSize(3);
    }

    /** The answers are computed in Java; these are worked by hand. */
    @Test
    void theExpectedOutputsAreRight() {
        int[] a = {4, 0, 7};
        Map<String, String> expected = Map.ofEntries(Map.entry("sum", "11"), Map.entry("max", "7"), Map.entry("min", "0"),
                Map.entry("count", "3"), Map.entry("sorted", "0 4 7"), Map.entry("reversed", "7 0 4"), Map.entry("spread", "7"),
                Map.entry("evens", "2"));
        expected.forEach((name, out) -> assertThat(ProgrammingTasks.family(name).answer().apply(a, 0)).as(name).isEqualTo(out));
        assertThat(ProgrammingTasks.family("add").answer().apply(a, 3)).isEqualTo("7 3 10");
        assertThat(ProgrammingTasks.family("times").answer().apply(a, 2)).isEqualTo("8 0 14");
        assertThat(ProgrammingTasks.family("above").answer().apply(a, 4)).isEqualTo("1");
        assertThat(ProgrammingTasks.family("mod").answer().apply(a, 3)).isEqualTo("1 0 1");
        assertThat(ProgrammingTasks.family("first").answer().apply(a, 2)).isEqualTo("4 0");
        assertThat(ProgrammingTasks.family("first").answer().apply(a, 5)).isEqualTo("4 0 7");
    }

    @Test
    void thePromptAndProgramSayTheSameK() {
        ProgrammingTasks.Task t = new ProgrammingTasks.Task(ProgrammingTasks.family("mod"), 7);
        assertThat(t.prompt()).isEqualTo("Read a line of integers and print each modulo 7.\n");
        assertThat(t.family().program(7)).isEqualTo("a=list(map(int,input().split()))\nprint(*[x%7 for x in a])\n");
    }

    @Test
    void theSplitsShareNoTask() {
        Set<Object> train = new HashSet<>();
        for (Problem p : problems(Map.of("seed", 1), 3000)) train.add(p.metadata().get("task"));
        Set<Object> eval = new HashSet<>();
        for (Problem p : problems(Map.of("seed", 1, "split", "eval"), 1000)) eval.add(p.metadata().get("task"));
        assertThat(train).hasSizeGreaterThan(30).doesNotContainAnyElementsOf(eval);
        assertThat(eval).hasSizeGreaterThan(5).allSatisfy(t -> assertThat(t.toString()).matches("(add|times|above|mod|first) \\d"));
    }

    @Test
    void aBuggySolutionDiffersFromTheReferenceAndTheShareFollowsTheSetting() {
        List<Problem> ps = problems(Map.of("seed", 3, "buggy_fraction", 0.25), 2000);
        long buggy = ps.stream().filter(p -> (Boolean) p.metadata().get("buggy")).count();
        assertThat(buggy).isBetween(420L, 580L);
        for (ProgrammingTasks.Family f : ProgrammingTasks.FAMILIES) {
            for (int k : f.parameterised() ? f.ks() : new int[] {0}) {
                assertThat(ProgrammingTasks.bug(new ProgrammingTasks.Task(f, k))).as(f.name() + " " + k).isNotEqualTo(f.program(k));
            }
        }
        assertThat(problems(Map.of("seed", 3), 500)).noneMatch(p -> (Boolean) p.metadata().get("buggy"));
    }

    @Test
    void promptAndSolutionFitATinyModelsContext() { // 160 positions: the longest prompt and solution, with room to spare
        for (Problem p : problems(Map.of("seed", 4), 2000)) {
            assertThat(p.prompt().length() + p.metadata().get("solution").toString().length()).as(p.id()).isLessThanOrEqualTo(140);
        }
    }

    @Test
    void tasksAndLengthsFollowTheSettings() {
        for (Problem p : problems(Map.of("tasks", List.of("sum", "first"), "min_length", 2, "max_length", 3, "max_value", 5), 300)) {
            assertThat(p.metadata().get("task").toString()).matches("sum|first \\d");
            for (Object in : (List<?>) p.metadata().get("inputs")) {
                String[] xs = in.toString().trim().split(" ");
                assertThat(xs.length).isBetween(2, 3);
                for (String x : xs) assertThat(Integer.parseInt(x)).isBetween(0, 5);
            }
        }
    }

    @Test
    void badSettingsSayWhatIsExpected() {
        assertThatThrownBy(() -> problems(Map.of("tasks", List.of("sum", "fizzbuzz")), 1)).hasMessageContaining("fizzbuzz")
                .hasMessageContaining("sorted");
        assertThatThrownBy(() -> problems(Map.of("tasks", List.of("sum"), "split", "eval"), 1)).hasMessageContaining("eval split");
        assertThatThrownBy(() -> problems(Map.of("tests", 0), 1)).hasMessageContaining("tests");
        assertThatThrownBy(() -> problems(Map.of("min_length", 4, "max_length", 2), 1)).hasMessageContaining("max_length");
        assertThatThrownBy(() -> problems(Map.of("buggy_fraction", 1.5), 1)).hasMessageContaining("buggy_fraction");
    }
}
