package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The {@code data} section: named data sets, each a data source plugin with its settings, or a
 * mixture of other data sets by weight ({@code mix: {math_train: 1, code_train: 1}}, {@code seed}; see
 * {@link MixedStream}). A data set of a source may give its problems a {@code system_prompt} and a
 * {@code prompt_suffix} ({@link PromptFormat#adapt}). Every stage that names a data set gets its own stream, from position 0.
 */
final class DataSets implements AutoCloseable {

    /** A data set of a source, with the system prompt and prompt suffix its problems get (null: none). */
    private record Entry(DataSource source, Settings settings, String systemPrompt, String promptSuffix) {}

    /** A mixture: the data sets it draws from, their weights, the seed of the draws. */
    private record Mix(List<String> names, List<Double> weights, long seed) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Mix> mixes = new LinkedHashMap<>();
    private final List<ProblemStream> opened = new ArrayList<>();
    /** the training stages' shared streams, by data set name */
    private final Map<String, ProblemStream> cursors = new LinkedHashMap<>();
    /** the data sets stages make ({@code distill}, {@code filter}), by name: filled when their stage has run */
    private final Map<String, Produced> produced = new LinkedHashMap<>();

    DataSets(Settings data, PluginRegistry registry) {
        for (String name : data.keys()) {
            Settings s = data.section(name);
            if (s.has("mix")) continue;
            DataSource source = registry.select(DataSource.class, s, "source", null);
            String system = s.string("system_prompt", null);
            String suffix = s.string("prompt_suffix", null);
            try (ProblemStream check = source.open(s)) { // reads and checks every setting and the data itself, before any work
                for (String note : check.notes()) System.err.println("data." + name + ": " + note); // rows left out, and why
            }
            entries.put(name, new Entry(source, s, system, suffix));
        }
        for (String name : data.keys()) {
            Settings s = data.section(name);
            if (!s.has("mix")) continue;
            if (s.has("source")) throw s.invalid("source", "a data set has either source: or mix:, not both");
            Settings mix = s.section("mix");
            List<String> names = new ArrayList<>(mix.keys());
            if (names.isEmpty()) throw s.invalid("mix", "must name the data sets to mix with their weights, e.g. {math_train: 1, code_train: 1}");
            List<Double> weights = new ArrayList<>();
            for (String part : names) {
                if (!entries.containsKey(part)) {
                    throw mix.invalid(part, "is not a data set with a source: under data:. Defined: " + String.join(", ", entries.keySet()));
                }
                double w = mix.finiteNumber(part, 1);
                if (!(w > 0)) throw mix.invalid(part, "weight must be positive");
                weights.add(w);
            }
            mixes.put(name, new Mix(names, weights, s.longValue("seed", 0)));
        }
    }

    /**
     * {@return the shared stream of the data set named at {@code key} of {@code stage}}: the stages
     * that name the same data set read on from one another
     */
    ProblemStream cursor(Settings stage, String key) {
        String name = stage.requireString(key);
        ProblemStream s = cursors.get(name);
        if (s == null) {
            s = open(stage, key);
            cursors.put(name, s);
        }
        return s;
    }

    /** {@return the position of every shared cursor, by data set name} */
    Map<String, Long> positions() {
        Map<String, Long> out = new LinkedHashMap<>();
        cursors.forEach((name, s) -> out.put(name, s.position()));
        return out;
    }

    /**
     * Moves the shared cursors to {@code positions} (as {@link #positions} gave them).
     *
     * @throws IllegalArgumentException when {@code positions} names a data set that no stage reads, or leaves one out
     */
    void seek(Map<String, Long> positions) {
        if (!positions.keySet().equals(cursors.keySet())) {
            throw new IllegalArgumentException("the saved data cursors are of " + positions.keySet() + ", the stages read " + cursors.keySet());
        }
        positions.forEach((name, p) -> cursors.get(name).seek(p));
    }

    /** {@return the epoch the shared cursor of {@code name} is in (0 = the first pass), or -1 for an endless source} */
    static long epoch(ProblemStream s) {
        return s.size().isPresent() && s.size().getAsLong() > 0 ? s.position() / s.size().getAsLong() : -1;
    }

    /**
     * Declares the data set {@code name} that stage {@code producer} makes (at key {@code key} of
     * {@code stage}); stages after it may read it.
     */
    void declare(Settings stage, String key, String name, String producer) {
        if (entries.containsKey(name) || mixes.containsKey(name) || produced.containsKey(name)) {
            throw stage.invalid(key, "data set " + name + " is already defined" + (produced.containsKey(name)
                    ? " (stage " + produced.get(name).producer + " makes it)" : " under data:") + "; give the stage's output another name");
        }
        produced.put(name, new Produced(name, producer));
    }

    /** {@return the stage that makes data set {@code name}, or null when it is not made by a stage} */
    String producer(String name) {
        Produced p = produced.get(name);
        return p == null ? null : p.producer;
    }

    /** Fills the made data set {@code name} with {@code problems}. */
    void fill(String name, List<Problem> problems) {
        produced.get(name).fill(problems);
    }

    /** {@return a new stream of the data set named at {@code key} of {@code stage}, from its first problem} */
    ProblemStream open(Settings stage, String key) {
        String name = stage.requireString(key);
        Mix mix = mixes.get(name);
        ProblemStream stream;
        if (produced.containsKey(name)) {
            stream = produced.get(name).new Stream();
        } else if (mix != null) {
            stream = new MixedStream(mix.names().stream().map(this::openEntry).toList(), mix.weights(), mix.seed());
        } else if (entries.containsKey(name)) {
            stream = openEntry(name);
        } else {
            List<String> defined = new ArrayList<>(entries.keySet());
            defined.addAll(mixes.keySet());
            defined.addAll(produced.keySet());
            throw stage.invalid(key, "no data set of that name under data:. Defined: " + (defined.isEmpty() ? "none" : String.join(", ", defined)));
        }
        opened.add(stream);
        return stream;
    }

    private ProblemStream openEntry(String name) {
        Entry e = entries.get(name);
        ProblemStream s = e.source().open(e.settings());
        return e.systemPrompt() == null && e.promptSuffix() == null ? s : new Adapted(s, e.systemPrompt(), e.promptSuffix());
    }

    /**
     * A data set a stage makes: empty until the stage has run ({@link #fill}); its streams then read
     * its problems in order, epoch after epoch.
     */
    private static final class Produced {
        final String name;
        final String producer;
        List<Problem> problems;

        Produced(String name, String producer) {
            this.name = name;
            this.producer = producer;
        }

        void fill(List<Problem> made) {
            this.problems = List.copyOf(made);
        }

        final class Stream implements ProblemStream {
            private long position;

            @Override
            public Problem next() {
                if (problems == null) throw new IllegalStateException("data set " + name + " is made by stage " + producer + ", which has not run");
                if (problems.isEmpty()) {
                    throw new IllegalStateException("data set " + name + " that stage " + producer + " made is empty: nothing to train on "
                            + "(see the stage's counts in summary.json)");
                }
                return problems.get((int) (position++ % problems.size()));
            }

            @Override
            public long position() {
                return position;
            }

            @Override
            public void seek(long newPosition) {
                if (newPosition < 0) throw new IllegalArgumentException("position must be >= 0, but is: " + newPosition);
                position = newPosition;
            }

            @Override
            public OptionalLong size() {
                return problems == null ? OptionalLong.empty() : OptionalLong.of(problems.size());
            }
        }
    }

    /** A stream whose problems get a system prompt and a prompt suffix ({@link PromptFormat#adapt}). */
    private record Adapted(ProblemStream inner, String systemPrompt, String promptSuffix) implements ProblemStream {
        @Override public Problem next() { return PromptFormat.adapt(inner.next(), systemPrompt, promptSuffix); }
        @Override public long position() { return inner.position(); }
        @Override public void seek(long position) { inner.seek(position); }
        @Override public OptionalLong size() { return inner.size(); }
        @Override public List<String> notes() { return inner.notes(); }
        @Override public void close() { inner.close(); }
    }

    @Override
    public void close() {
        opened.forEach(ProblemStream::close);
    }
}
