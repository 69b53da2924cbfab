package io.rlvr4j.app.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run-state.json}: how far a run has come, between stages. Written (atomically) when the run
 * starts and after each stage; {@link Resume} reads it to continue with the first stage not done,
 * from that stage's newest checkpoint if it has one.
 *
 * @param configDir what the configuration's relative paths are resolved against
 * @param completed the facts of each completed stage, in order (as {@code summary.json} lists them)
 * @param currentModel the model the next stage starts from
 * @param dataPositions the training stages' data cursors after the last completed stage
 * @param evaluations the results of the completed evaluations
 * @param wallSeconds the wall time of the run's earlier sessions (before the last resume)
 * @param finished whether every stage has run
 */
record RunState(String configDir, List<Map<String, Object>> completed, String currentModel, Map<String, Long> dataPositions,
                Map<String, EvalResult> evaluations, double wallSeconds, boolean finished) {

    static final String FILE = "run-state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    RunState {
        completed = List.copyOf(completed);
        dataPositions = Map.copyOf(dataPositions);
        evaluations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evaluations));
    }

    /** {@return the state of a run that has not run a stage yet} */
    static RunState start(Path configDir, Path initialModel, Map<String, Long> dataPositions) {
        return new RunState(configDir.toString(), List.of(), initialModel.toString(), dataPositions, Map.of(), 0, false);
    }

    /** {@return this state with one more stage completed} */
    RunState completed(Map<String, Object> facts, Path model, Map<String, Long> positions, Map<String, EvalResult> evals) {
        List<Map<String, Object>> done = new ArrayList<>(completed);
        done.add(facts);
        return new RunState(configDir, done, model.toString(), positions, evals, wallSeconds, false);
    }

    /** {@return this state as a session of the run leaves it: after {@code wall} seconds in all, finished or not} */
    RunState ended(double wall, boolean isFinished) {
        return new RunState(configDir, completed, currentModel, dataPositions, evaluations, wall, isFinished);
    }

    /** Writes {@value #FILE} in {@code runDir}, atomically. */
    void write(Path runDir) {
        Path tmp = runDir.resolve("." + FILE + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), toJson());
            Files.move(tmp, runDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(FILE), e);
        }
    }

    /**
     * {@return the state in {@code runDir}}
     *
     * @throws IOException when it is missing or cannot be parsed
     */
    static RunState read(Path runDir) throws IOException {
        JsonNode n = JSON.readTree(runDir.resolve(FILE).toFile());
        if (n == null || !n.isObject()) throw new IOException("not a JSON object");
        for (String key : List.of("config_dir", "completed", "current_model", "data_positions", "evaluations")) {
            if (!n.has(key)) throw new IOException("no " + key);
        }
        List<Map<String, Object>> completed = new ArrayList<>();
        for (JsonNode c : n.get("completed")) completed.add(JSON.convertValue(c, MAP));
        Map<String, Long> positions = new LinkedHashMap<>();
        n.get("data_positions").properties().forEach(e -> positions.put(e.getKey(), e.getValue().asLong()));
        Map<String, EvalResult> evals = new LinkedHashMap<>();
        n.get("evaluations").properties().forEach(e -> evals.put(e.getKey(), evalResult(e.getValue())));
        return new RunState(n.get("config_dir").asText(), completed, n.get("current_model").asText(), positions, evals,
                n.path("wall_time_s").asDouble(0), n.path("finished").asBoolean(false));
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config_dir", configDir);
        m.put("completed", completed);
        m.put("current_model", currentModel);
        m.put("data_positions", dataPositions);
        Map<String, Object> evals = new LinkedHashMap<>();
        evaluations.forEach((k, r) -> evals.put(k, json(r)));
        m.put("evaluations", evals);
        m.put("wall_time_s", wallSeconds);
        m.put("finished", finished);
        return m;
    }

    /** Every field of {@code r}, NaN as null. */
    private static Map<String, Object> json(EvalResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("problems", r.problems());
        m.put("greedy_pass1", finite(r.greedyPass1()));
        m.put("samples", r.samples());
        m.put("temperature", r.temperature());
        m.put("pass_at_k", r.passAtK());
        m.put("pass_at_every_k", r.passAtEveryK());
        m.put("avg_at_n", finite(r.avgAtN()));
        m.put("maj_at_n", finite(r.majAtN()));
        m.put("mean_score", finite(r.meanScore()));
        m.put("mean_response_tokens", finite(r.meanResponseTokens()));
        m.put("seconds", r.seconds());
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double number(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.asDouble();
    }

    private static EvalResult evalResult(JsonNode n) {
        return new EvalResult(n.get("name").asText(), n.get("problems").asInt(), number(n.get("greedy_pass1")), n.get("samples").asInt(),
                n.get("temperature").asDouble(), byK(n.get("pass_at_k")), byK(n.get("pass_at_every_k")), number(n.get("avg_at_n")),
                number(n.get("maj_at_n")), number(n.get("mean_score")), number(n.get("mean_response_tokens")), n.get("seconds").asDouble());
    }

    private static Map<Integer, Double> byK(JsonNode n) {
        Map<Integer, Double> m = new LinkedHashMap<>();
        n.properties().forEach(e -> m.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
        return m;
    }
}
