package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code data} section: named data sets, each a data source plugin with its settings. Every
 * stage that names a data set gets its own stream, from position 0.
 */
final class DataSets implements AutoCloseable {

    private record Entry(DataSource source, Settings settings) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<ProblemStream> opened = new ArrayList<>();

    DataSets(Settings data, PluginRegistry registry) {
        for (String name : data.keys()) {
            Settings s = data.section(name);
            DataSource source = registry.select(DataSource.class, s, "source", null);
            source.open(s).close(); // reads and checks every setting and the data itself, before any work
            entries.put(name, new Entry(source, s));
        }
    }

    /** {@return a new stream of the data set named at {@code key} of {@code stage}} */
    ProblemStream open(Settings stage, String key) {
        String name = stage.requireString(key);
        Entry e = entries.get(name);
        if (e == null) {
            throw stage.invalid(key, "no data set of that name under data:. Defined: "
                    + (entries.isEmpty() ? "none" : String.join(", ", entries.keySet())));
        }
        ProblemStream stream = e.source().open(e.settings());
        opened.add(stream);
        return stream;
    }

    @Override
    public void close() {
        opened.forEach(ProblemStream::close);
    }
}
