package io.rlvr4j.data.internal;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The programming tasks of one configuration, as a pure function of the index; see
 * {@link ProgrammingTaskDataSource} for the format. Immutable and thread-safe.
 */
final class ProgrammingTasks {

    /** Which side of the held-out split a stream draws from. */
    enum Split {
        TRAIN, EVAL
    }

    /** One in {@value} parameterised tasks (a family with its k) belongs to the eval split. */
    static final int EVAL_MODULUS = 4;

    /**
     * A family of tasks on a line of integers {@code a}: what the prompt asks, the Python expression
     * that is printed, and the answer computed here, independently of Python, for the tests.
     *
     * @param name the family's name (the {@code task} metadata and the {@code tasks} setting)
     * @param ks the values of the parameter k, or none for a family without one
     * @param asks what to print, with {@code {k}} in place of the parameter
     * @param prints the argument list of Python's {@code print}, over the list {@code a} and {@code {k}}
     * @param answer the printed line for a list and k
     * @param bug the family whose program a buggy solution uses instead, and the k it uses
     */
    record Family(String name, int[] ks, String asks, String prints, BiFunction<int[], Integer, String> answer, String bug) {

        boolean parameterised() {
            return ks.length > 0;
        }

        String asks(int k) {
            return asks.replace("{k}", Integer.toString(k));
        }

        String program(int k) {
            return "a=list(map(int,input().split()))\nprint(" + prints.replace("{k}", Integer.toString(k)) + ")\n";
        }
    }

    private static String joined(IntStream values) {
        return values.mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    private static final int[] NONE = {};

    /** Every family, in a fixed order (the order of the {@code tasks} setting's default). */
    static final List<Family> FAMILIES = List.of(
            new Family("sum", NONE, "their sum", "sum(a)", (a, k) -> Integer.toString(Arrays.stream(a).sum()), "count"),
            new Family("max", NONE, "the largest", "max(a)", (a, k) -> Integer.toString(Arrays.stream(a).max().orElseThrow()), "min"),
            new Family("min", NONE, "the smallest", "min(a)", (a, k) -> Integer.toString(Arrays.stream(a).min().orElseThrow()), "max"),
            new Family("count", NONE, "how many there are", "len(a)", (a, k) -> Integer.toString(a.length), "sum"),
            new Family("sorted", NONE, "them in increasing order", "*sorted(a)", (a, k) -> joined(Arrays.stream(a).sorted()), "reversed"),
            new Family("reversed", NONE, "them in reverse order", "*a[::-1]",
                    (a, k) -> joined(IntStream.range(0, a.length).map(i -> a[a.length - 1 - i])), "sorted"),
            new Family("spread", NONE, "the largest minus the smallest", "max(a)-min(a)",
                    (a, k) -> Integer.toString(Arrays.stream(a).max().orElseThrow() - Arrays.stream(a).min().orElseThrow()), "max"),
            new Family("evens", NONE, "how many are even", "sum(x%2==0 for x in a)",
                    (a, k) -> Long.toString(Arrays.stream(a).filter(x -> x % 2 == 0).count()), "count"),
            new Family("add", IntStream.rangeClosed(1, 9).toArray(), "each plus {k}", "*[x+{k} for x in a]",
                    (a, k) -> joined(Arrays.stream(a).map(x -> x + k)), "add"),
            new Family("times", IntStream.rangeClosed(2, 9).toArray(), "each times {k}", "*[x*{k} for x in a]",
                    (a, k) -> joined(Arrays.stream(a).map(x -> x * k)), "times"),
            new Family("above", IntStream.rangeClosed(0, 9).toArray(), "how many are above {k}", "sum(x>{k} for x in a)",
                    (a, k) -> Long.toString(Arrays.stream(a).filter(x -> x > k).count()), "above"),
            new Family("mod", IntStream.rangeClosed(2, 9).toArray(), "each modulo {k}", "*[x%{k} for x in a]",
                    (a, k) -> joined(Arrays.stream(a).map(x -> Math.floorMod(x, k))), "mod"),
            new Family("first", IntStream.rangeClosed(1, 5).toArray(), "the first {k}", "*a[:{k}]",
                    (a, k) -> joined(Arrays.stream(a).limit(k)), "first"));

    /** A task: a family and its k (0 for a family without a parameter). */
    record Task(Family family, int k) {
        String prompt() {
            return "Read a line of integers and print " + family.asks(k) + ".\n";
        }

        /** {@return the split a task belongs to}: families without a parameter train; one in four (family, k) is held out */
        Split split() {
            if (!family.parameterised()) return Split.TRAIN;
            long h = Seeds.mix(family.name().hashCode(), k, 0x5EED);
            return Long.remainderUnsigned(h, EVAL_MODULUS) == 0 ? Split.EVAL : Split.TRAIN;
        }
    }

    private final long seed;
    private final Split split;
    private final List<Task> tasks;
    private final int tests;
    private final int minLength;
    private final int maxLength;
    private final int maxValue;
    private final double buggyFraction;

    /**
     * @param families the families to draw from (a subset of {@link #FAMILIES})
     * @throws IllegalArgumentException when no task of those families is in the split
     */
    ProgrammingTasks(long seed, Split split, List<Family> families, int tests, int minLength, int maxLength, int maxValue,
            double buggyFraction) {
        this.seed = seed;
        this.split = split;
        this.tests = tests;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.maxValue = maxValue;
        this.buggyFraction = buggyFraction;
        List<Task> all = new ArrayList<>();
        for (Family f : families) {
            if (!f.parameterised()) all.add(new Task(f, 0));
            for (int k : f.ks()) all.add(new Task(f, k));
        }
        this.tasks = all.stream().filter(t -> t.split() == split).toList();
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no task of " + families.stream().map(Family::name).toList() + " is in the "
                    + split.name().toLowerCase(Locale.ROOT) + " split (the eval split holds one in " + EVAL_MODULUS
                    + " tasks of the families with a parameter: add, times, above, mod, first)");
        }
    }

    /** {@return the tasks of this split} */
    List<Task> tasks() {
        return tasks;
    }

    /** {@return the family named {@code name}}, or null */
    static Family family(String name) {
        return FAMILIES.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    /** {@return problem {@code i}} */
    Problem problem(long i) {
        SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, split.ordinal(), i));
        Task task = tasks.get(rnd.nextInt(tasks.size()));
        List<String> inputs = new ArrayList<>(tests);
        List<String> outputs = new ArrayList<>(tests);
        for (int t = 0; t < tests; t++) {
            int[] a = rnd.ints(minLength + rnd.nextInt(maxLength - minLength + 1), 0, maxValue + 1).toArray();
            inputs.add(joined(Arrays.stream(a)) + "\n");
            outputs.add(task.family().answer().apply(a, task.k()) + "\n");
        }
        boolean buggy = buggyFraction > 0 && Seeds.uniform(seed, split.ordinal(), i, -1) < buggyFraction;
        String program = buggy ? bug(task) : task.family().program(task.k());
        String id = "code-" + split.name().toLowerCase(Locale.ROOT) + "-" + seed + "-" + i;
        return new Problem(id, "code", task.prompt(), List.of(), null, Map.of(
                "inputs", List.copyOf(inputs), "outputs", List.copyOf(outputs),
                "solution", "```python\n" + program + "```", "task", task.family().name() + (task.family().parameterised() ? " " + task.k() : ""),
                "buggy", buggy));
    }

    /** {@return a plausible wrong program}: a sibling family's, or the same family's with k off by one */
    static String bug(Task task) {
        Family f = task.family();
        if (f.name().equals(f.bug())) {
            int[] ks = f.ks();
            int k = task.k() == ks[ks.length - 1] ? task.k() - 1 : task.k() + 1;
            return f.program(k);
        }
        return family(f.bug()).program(0);
    }

    /** {@return an endless stream: position {@code p} is problem {@code p}} */
    ProblemStream stream() {
        return PositionalStream.endless(this::problem);
    }

    /** {@return the names of the families}, for messages */
    static String familyNames() {
        return FAMILIES.stream().map(Family::name).sorted(Comparator.naturalOrder()).collect(Collectors.joining(", "));
    }
}
