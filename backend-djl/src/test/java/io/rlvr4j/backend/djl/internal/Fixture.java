package io.rlvr4j.backend.djl.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The qwen2-tiny reference fixture and helpers shared by the tests. */
final class Fixture {

    static final Path DIR = locate();

    private Fixture() {
    }

    private static Path locate() {
        for (Path p : new Path[] {Path.of("../fixtures/qwen2-tiny"), Path.of("fixtures/qwen2-tiny")}) {
            if (Files.isRegularFile(p.resolve("config.json"))) return p.toAbsolutePath();
        }
        throw new IllegalStateException("qwen2-tiny fixture not found from " + Path.of("").toAbsolutePath());
    }

    static JsonObject reference() {
        try {
            return JsonParser.parseString(Files.readString(DIR.resolve("reference.json"))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Settings cpu() {
        return Settings.of(Map.of("device", "cpu", "threads", 2));
    }

    static Settings cpu(int microBatch) {
        return Settings.of(Map.of("device", "cpu", "threads", 2, "micro_batch_size", microBatch));
    }

    static DjlPolicy open(OptimizerSpec optimizer) {
        return (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(DIR, PolicySpec.Init.LOAD, ModelRole.ACTOR, optimizer, 0), cpu());
    }

    static int[][] ints(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        int[][] out = new int[a.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray r = a.get(i).getAsJsonArray();
            out[i] = new int[r.size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = r.get(j).getAsInt();
        }
        return out;
    }

    /** Rows of numbers; JSON null becomes NaN. */
    static double[][] numbers(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        double[][] out = new double[a.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray r = a.get(i).getAsJsonArray();
            out[i] = new double[r.size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = r.get(j).isJsonNull() ? Double.NaN : r.get(j).getAsDouble();
        }
        return out;
    }

    static double[] vector(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsDouble();
        return out;
    }
}
