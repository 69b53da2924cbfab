package io.rlvr4j.data.internal;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * An endless, seeded generator of small programming tasks with stdin/stdout tests and reference
 * solutions in Python, for the code stage of a run that must stay offline (AceReason's math-then-code
 * recipe on a tiny model) and for benchmarking the code verifier.
 *
 * <p>Every task reads one line of integers and prints something about them: their sum, the largest,
 * them sorted, each plus k, how many are above k, … (13 families, 40 of them with a parameter k).
 * The prompt says what in words; the tests are random lists, with the expected output computed in
 * Java, independently of the Python solution; the solution, in {@code metadata.solution}, is a fenced
 * Python block, as the code verifier extracts it:
 * <pre>
 *   prompt:   Read a line of integers and print each plus 3.\n
 *   solution: ```python
 *             a=list(map(int,input().split()))
 *             print(*[x+3 for x in a])
 *             ```
 *   inputs:   ["4 0 7\n", "12\n", "1 1 2 3\n"]     outputs: ["7 3 10\n", "15\n", "4 4 5 6\n"]
 * </pre>
 * The domain is {@code code}; {@code metadata.task} names the family and k ({@code add 3}) and
 * {@code metadata.buggy} tells whether the solution was made wrong on purpose (below).
 *
 * <p>Splits: the {@code eval} split holds one in four (family, k) pairs by a fixed hash, so its tasks
 * are never seen in training (a family seen with other values of k); families without a parameter are
 * all in {@code train}.
 *
 * <p>Settings: {@code seed} (0), {@code split} ({@code train} or {@code eval}), {@code tests} (3 per
 * problem), {@code min_length} (1) and {@code max_length} (6) integers per line, {@code max_value}
 * (30; integers are in [0, max_value]), {@code tasks} (the families, default all), and
 * {@code buggy_fraction} (0: the share of problems, drawn from the seed, whose solution is a plausible
 * wrong program: a sibling family's or k off by one). Like the arithmetic source's answer-only
 * solutions, buggy ones make SFT data of mixed quality, which the code verifier's reward can then correct.
 */
public final class ProgrammingTaskDataSource implements DataSource {

    static final int MAX_TESTS = 50;
    static final int MAX_LENGTH = 100;

    @Override
    public String name() {
        return "code_tasks";
    }

    @Override
    public String description() {
        return "seeded small programming tasks on a line of integers, with stdin/stdout tests and Python solutions; train/eval splits";
    }

    @Override
    public ProblemStream open(Settings settings) {
        long seed = settings.longValue("seed", 0);
        ProgrammingTasks.Split split = settings.choice("split", ProgrammingTasks.Split.class, ProgrammingTasks.Split.TRAIN);
        int tests = settings.integer("tests", 3);
        if (tests < 1 || tests > MAX_TESTS) throw settings.invalid("tests", "must be in [1, " + MAX_TESTS + "]");
        int minLength = settings.integer("min_length", 1);
        int maxLength = settings.integer("max_length", 6);
        if (minLength < 1 || minLength > MAX_LENGTH) throw settings.invalid("min_length", "must be in [1, " + MAX_LENGTH + "]");
        if (maxLength < minLength || maxLength > MAX_LENGTH) {
            throw settings.invalid("max_length", "must be in [min_length, " + MAX_LENGTH + "] = [" + minLength + ", " + MAX_LENGTH + "]");
        }
        int maxValue = settings.integer("max_value", 30);
        if (maxValue < 1 || maxValue > 1_000_000) throw settings.invalid("max_value", "must be in [1, 1000000]");
        double buggy = settings.number("buggy_fraction", 0.0);
        if (!(buggy >= 0 && buggy <= 1)) throw settings.invalid("buggy_fraction", "must be in [0, 1]");
        List<ProgrammingTasks.Family> families = new ArrayList<>();
        for (String name : settings.strings("tasks", ProgrammingTasks.FAMILIES.stream().map(ProgrammingTasks.Family::name).toList())) {
            ProgrammingTasks.Family f = ProgrammingTasks.family(name);
            if (f == null) throw settings.invalid("tasks", "has no family '" + name + "'; the families are " + ProgrammingTasks.familyNames());
            if (!families.contains(f)) families.add(f);
        }
        if (families.isEmpty()) throw settings.invalid("tasks", "must name at least one family: " + ProgrammingTasks.familyNames());
        try {
            return new ProgrammingTasks(seed, split, families, tests, minLength, maxLength, maxValue, buggy).stream();
        } catch (IllegalArgumentException e) {
            throw settings.invalid("tasks", e.getMessage());
        }
    }
}
