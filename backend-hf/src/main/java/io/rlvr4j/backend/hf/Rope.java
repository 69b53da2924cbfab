package io.rlvr4j.backend.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Rotary position embeddings as {@code transformers}' {@code modeling_rope_utils} computes them, in
 * float32: the inverse frequencies of each pair of a head's dimensions and the factor cos and sin are
 * multiplied by.
 *
 * <ul>
 *   <li>{@code default}: {@code inv_freq_i = 1 / theta^(2i/d)}.
 *   <li>{@code linear} (position interpolation): {@code inv_freq / factor}.
 *   <li>{@code llama3} (Llama 3.1): wavelengths longer than {@code original / low_freq_factor} are
 *       divided by {@code factor}, those shorter than {@code original / high_freq_factor} kept, and the
 *       band between interpolated smoothly.
 *   <li>{@code yarn}: frequencies blended between interpolation and extrapolation over the
 *       correction range of {@code beta_fast}/{@code beta_slow}, with cos and sin scaled by
 *       {@code attention_factor} (default {@code 0.1 ln(factor) + 1}, or the ratio of the
 *       {@code mscale}/{@code mscale_all_dim} terms).
 *   <li>{@code dynamic} (NTK-aware): the base grows with the sequence length, but only past
 *       {@code original_max_position_embeddings}; within it the frequencies are {@code default}'s,
 *       which is what the backends compute. A longer sequence is refused ({@link #checkLength}).
 * </ul>
 *
 * @param type the rope type, lower case
 * @param theta the base ({@code rope_theta})
 * @param dim the rotated width (the head width)
 * @param factor the scaling factor (1 for {@code default})
 * @param originalMaxPositions {@code original_max_position_embeddings}, where the type uses it
 * @param json the {@code rope_scaling} (or {@code rope_parameters}) object, for the other keys
 */
public record Rope(String type, double theta, int dim, double factor, int originalMaxPositions, JsonObject json) {

    /**
     * {@return the rope of a {@code config.json}}: {@code rope_theta} and {@code rope_scaling}, or
     * transformers 5's {@code rope_parameters} ({@code rope_type}, {@code rope_theta} and the type's keys)
     */
    static Rope read(JsonObject o, Path file, int dim, int maxPositions) {
        JsonObject params = null;
        String key = null;
        for (String k : new String[] {"rope_parameters", "rope_scaling"}) {
            JsonElement e = o.get(k);
            if (e == null || e.isJsonNull()) continue;
            if (!e.isJsonObject()) throw JsonFiles.invalid(file, k, e.toString(), "expected an object with rope_type and its parameters");
            params = e.getAsJsonObject();
            key = k;
            break;
        }
        double theta = params != null && params.has("rope_theta") ? params.get("rope_theta").getAsDouble()
                : JsonFiles.number(o, "rope_theta", 10000);
        if (!(theta > 1)) throw JsonFiles.invalid(file, "rope_theta", String.valueOf(theta), "must be greater than 1");
        if (params == null) return new Rope("default", theta, dim, 1, maxPositions, new JsonObject());
        String type = JsonFiles.string(params, "rope_type", JsonFiles.string(params, "type", "default")).toLowerCase(Locale.ROOT);
        double factor = JsonFiles.number(params, "factor", 1);
        int original = JsonFiles.integer(params, "original_max_position_embeddings", maxPositions);
        switch (type) {
            case "default" -> { }
            case "linear", "dynamic", "yarn", "llama3" -> {
                if (!(factor > 0)) throw JsonFiles.invalid(file, key + ".factor", String.valueOf(factor), "must be positive");
                if (type.equals("llama3")) {
                    for (String k : new String[] {"low_freq_factor", "high_freq_factor", "original_max_position_embeddings"}) {
                        if (!params.has(k)) throw JsonFiles.missing(file, key + "." + k, "a number (rope_type llama3)");
                    }
                    if (!(params.get("high_freq_factor").getAsDouble() > params.get("low_freq_factor").getAsDouble())) {
                        throw JsonFiles.invalid(file, key + ".high_freq_factor", params.get("high_freq_factor").toString(), "must exceed low_freq_factor");
                    }
                }
            }
            default -> throw JsonFiles.invalid(file, key + ".rope_type", "\"" + type + "\"",
                    "rlvr4j implements rope types default, linear, dynamic, yarn and llama3");
        }
        return new Rope(type, theta, dim, factor, original, params);
    }

    /** {@return the inverse frequencies {@code [dim / 2]}, in float32 as transformers computes them} */
    public float[] inverseFrequencies() {
        int half = dim / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) inv[i] = (float) (1.0 / (float) Math.pow(theta, (float) (2 * i) / dim));
        switch (type) {
            case "linear" -> {
                for (int i = 0; i < half; i++) inv[i] = (float) (inv[i] / factor);
            }
            case "llama3" -> llama3(inv);
            case "yarn" -> yarn(inv);
            default -> { }
        }
        return inv;
    }

    /** {@return the factor cos and sin are multiplied by} (yarn's attention factor; 1 for the others) */
    public float attentionFactor() {
        if (!type.equals("yarn")) return 1f;
        if (json.has("attention_factor") && !json.get("attention_factor").isJsonNull()) return json.get("attention_factor").getAsFloat();
        double mscale = JsonFiles.number(json, "mscale", 0);
        double mscaleAllDim = JsonFiles.number(json, "mscale_all_dim", 0);
        if (mscale != 0 && mscaleAllDim != 0) return (float) (yarnMscale(factor, mscale) / yarnMscale(factor, mscaleAllDim));
        return (float) yarnMscale(factor, 1);
    }

    /**
     * Refuses a sequence the frequencies do not describe: past {@code original_max_position_embeddings}
     * a {@code dynamic} rope changes its base with the length, which the backends do not compute.
     */
    public void checkLength(int length) {
        if (type.equals("dynamic") && factor > 1 && length > originalMaxPositions) {
            throw new IllegalArgumentException("a sequence of " + length + " tokens is longer than the " + originalMaxPositions
                    + " positions within which rope_scaling type \"dynamic\" keeps its base; rlvr4j does not compute the "
                    + "length-dependent frequencies beyond them (shorten max_new_tokens or the prompts)");
        }
    }

    private void llama3(float[] inv) {
        float f = (float) factor;
        float low = json.get("low_freq_factor").getAsFloat();
        float high = json.get("high_freq_factor").getAsFloat();
        float old = json.get("original_max_position_embeddings").getAsFloat();
        float lowWavelen = old / low;
        float highWavelen = old / high;
        for (int i = 0; i < inv.length; i++) {
            float wavelen = (float) (2 * Math.PI) / inv[i];
            float scaled = wavelen > lowWavelen ? inv[i] / f : inv[i];
            float smooth = (old / wavelen - low) / (high - low);
            float smoothed = (1 - smooth) * scaled / f + smooth * scaled;
            boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
            inv[i] = medium ? smoothed : scaled;
        }
    }

    private void yarn(float[] inv) {
        double betaFast = JsonFiles.number(json, "beta_fast", 32);
        double betaSlow = JsonFiles.number(json, "beta_slow", 1);
        boolean truncate = JsonFiles.bool(json, "truncate", true);
        double lowDim = correctionDim(betaFast);
        double highDim = correctionDim(betaSlow);
        if (truncate) {
            lowDim = Math.floor(lowDim);
            highDim = Math.ceil(highDim);
        }
        float low = (float) Math.max(lowDim, 0);
        float high = (float) Math.min(highDim, dim - 1);
        if (low == high) high += 0.001f;
        for (int i = 0; i < inv.length; i++) {
            float posFreq = (float) Math.pow(theta, (float) (2 * i) / dim);
            float extrapolation = 1f / posFreq;
            float interpolation = 1f / ((float) factor * posFreq);
            float ramp = Math.min(Math.max((i - low) / (high - low), 0f), 1f);
            float extrapolationFactor = 1 - ramp;
            inv[i] = interpolation * (1 - extrapolationFactor) + extrapolation * extrapolationFactor;
        }
    }

    private double correctionDim(double rotations) {
        return dim * Math.log(originalMaxPositions / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
    }

    private static double yarnMscale(double scale, double mscale) {
        return scale <= 1 ? 1.0 : 0.1 * mscale * Math.log(scale) + 1.0;
    }

}
