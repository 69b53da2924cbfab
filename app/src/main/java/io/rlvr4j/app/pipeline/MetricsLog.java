package io.rlvr4j.app.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code metrics.jsonl}: one JSON object per training step, flushed at once so a crash loses nothing. */
final class MetricsLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    MetricsLog(Path file) {
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    void write(String stage, long step, Map<String, Double> metrics) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("stage", stage);
        line.put("step", step);
        metrics.forEach((k, v) -> line.put(k, Double.isFinite(v) ? v : null));
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
