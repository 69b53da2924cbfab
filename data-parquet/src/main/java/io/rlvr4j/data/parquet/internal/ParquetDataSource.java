package io.rlvr4j.data.parquet.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rlvr4j.api.DataException;
import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.data.internal.EpochStream;
import io.rlvr4j.data.internal.JsonRows;
import io.rlvr4j.data.internal.RowMapper;
import io.rlvr4j.data.internal.RowSkips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Problems from a Parquet file: verl/SkyRL RL rows, Hugging Face data sets saved as Parquet (MATH500,
 * GSM8K, AIME, OlympiadBench, APPS, CodeContests, LiveCodeBench …), or rlvr4j's own fields. Each row
 * is read as the {@code jsonl} source reads a line: its shape recognised from the first row's
 * columns or named by {@code preset}, fields mapped by {@code prompt_key}, {@code answer_key},
 * {@code solution_key}, {@code id_key}, {@code domain_key} (nested struct paths such as
 * {@code reward_model.ground_truth}); rows without a usable answer or tests are left out and counted.
 *
 * <p>Settings: {@code path} (required), {@code shuffle} (true), {@code seed} (0), {@code domain}
 * ({@code math}: the domain of rows that name none), {@code limit} (0: all rows), and the mapping keys
 * above. The file is read whole when the stream opens, by DuckDB (in memory, one thread, rows in file
 * order), each row turned into JSON by DuckDB's {@code to_json} so that structs, lists and maps of any
 * depth arrive as they would from a JSON line. Errors name the file, the row (1-based) and the field.
 */
public final class ParquetDataSource implements DataSource {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    @Override
    public String name() {
        return "parquet";
    }

    @Override
    public String description() {
        return "problems from a Parquet file (verl/SkyRL rows, MATH500, GSM8K, AIME, APPS, LiveCodeBench …), shuffled per epoch";
    }

    @Override
    public ProblemStream open(Settings settings) {
        Path path = settings.requirePath("path");
        boolean shuffle = settings.flag("shuffle", true);
        long seed = settings.longValue("seed", 0);
        String domain = settings.string("domain", "math");
        if (domain.isBlank()) throw settings.invalid("domain", "must not be blank; e.g. math or code");
        int limit = settings.integer("limit", 0);
        if (limit < 0) throw settings.invalid("limit", "must be >= 0 (0 reads every row)");
        RowMapper mapper = new RowMapper(settings, domain);
        String pathKey = settings.prefix().isEmpty() ? "path" : settings.prefix() + ".path";
        if (!Files.isRegularFile(path)) {
            throw new DataException("file not found: " + path + " (set by " + pathKey
                    + "; a relative path is resolved against the configuration file's directory)");
        }
        RowSkips skips = new RowSkips(path.toString());
        List<Problem> problems = read(path, mapper, skips, limit);
        if (problems.isEmpty()) {
            throw new DataException(path + ": " + (skips.count() > 0 ? "no row has a usable answer or tests. " + skips.summary()
                    : "contains no rows"));
        }
        return new EpochStream(problems, shuffle, seed, skips.notes());
    }

    private static List<Problem> read(Path path, RowMapper mapper, RowSkips skips, int limit) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Long> ids = new HashMap<>();
        String fileName = path.getFileName().toString();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (var s = c.createStatement()) {
                s.execute("SET threads = 1"); // one reader thread: rows in file order, and the trainer keeps the cores
                s.execute("SET preserve_insertion_order = true");
            }
            try (PreparedStatement q = c.prepareStatement("SELECT to_json(t) FROM read_parquet(?) AS t")) {
                q.setString(1, path.toAbsolutePath().toString());
                try (ResultSet rs = q.executeQuery()) {
                    RowMapper.Preset preset = null;
                    long row = 0;
                    while (rs.next() && (limit == 0 || problems.size() < limit)) {
                        row++;
                        String where = path + ":row " + row;
                        Map<String, Object> values;
                        try {
                            values = JsonRows.toJava(JSON.readTree(rs.getString(1)));
                        } catch (JacksonException e) {
                            throw new DataException(where + ": a row DuckDB could not turn into JSON: " + e.getOriginalMessage(), e);
                        }
                        if (preset == null) preset = mapper.presetFor(values, path.toString());
                        RowMapper.Mapped m = mapper.map(preset, values, where, fileName + ":" + row);
                        if (m.skipped() != null) {
                            skips.add(row, m.skipped());
                            continue;
                        }
                        Long first = ids.putIfAbsent(m.problem().id(), row);
                        if (first != null) {
                            throw new DataException(where + ": duplicate id \"" + m.problem().id() + "\", already used on row " + first
                                    + ". Every problem needs its own id (or map none, to get " + fileName + ":<row>)");
                        }
                        problems.add(m.problem());
                    }
                }
            }
        } catch (SQLException e) {
            throw new DataException(path + ": " + explain(e), e);
        }
        return problems;
    }

    /** {@return DuckDB's message made a sentence about the file} ("No magic bytes found …": not Parquet) */
    private static String explain(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("magic bytes") || m.contains("too small to be a Parquet file")) {
            return "not a Parquet file (" + m.strip() + "). Expected a .parquet file; JSON lines are read by source: jsonl";
        }
        return "cannot read it as Parquet: " + m.strip();
    }
}
