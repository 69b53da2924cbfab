package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.ModelShape;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.ClipRange;
import io.rlvr4j.api.objective.KlPenalty;
import io.rlvr4j.api.objective.LossAggregation;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.app.config.ConfigTree;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One training step of a policy backend, timed: the workload of the PyTorch eager reference's
 * benchmark ({@code shared/tools/ref/bench_ref.py}), so the two can be read side by side on the same
 * checkpoint. {@code batch} random token sequences of {@code promptTokens + newTokens} tokens (ids
 * below the vocabulary's last four, which are special in the reference's tokenizers); old log-probs
 * from one scoring pass; one advantage per sequence from a standard normal; the clipped
 * policy-gradient loss (clip 0.2) as the mean over every response token of the batch; backward;
 * global-norm clipping at 1.0; AdamW (lr 1e-6, no weight decay). After {@code warmup} untimed steps,
 * {@code steps} timed ones: the median is the figure.
 *
 * <p>Per device, the backend's roofline on the model's shape ({@link Roofline}, at the rows of one
 * micro-batch) gives the share of it the step reached, counting a step's weight products as three
 * times the forward's (the backward's two products per weight).
 */
public final class TrainBenchmark {

    private TrainBenchmark() {}

    /** One device's figures. */
    public record DeviceResult(String device, String policy, double msPerStep, double[] msRuns, double tokensPerSecond, double lastLoss,
                               Optional<Roofline> roofline, double rooflineShare) {}

    /** The benchmark's figures. */
    public record Result(String model, long parameters, int batch, int promptTokens, int newTokens, int warmup, List<DeviceResult> devices) {}

    /**
     * Runs the benchmark.
     *
     * @param devices values of the backend's {@code device} setting to measure, in turn; empty for the configuration's
     */
    public static Result run(ConfigTree tree, PluginRegistry registry, List<String> devices, int batch, int promptTokens, int newTokens,
                             int warmup, int steps, PrintStream log) throws IOException {
        if (batch < 1 || promptTokens < 1 || newTokens < 1 || steps < 1 || warmup < 0) {
            throw new ConfigException("--batch", "--batch, --prompt-tokens, --new-tokens and --steps must be at least 1, --warmup not negative");
        }
        Settings root = tree.settings();
        long seed = root.section("run").longValue("seed", 0);
        ModelSetup model = ModelSetup.from(root.section("model"), registry);
        model.check();
        Path tmp = Files.createTempDirectory("rlvr4j-bench-train");
        try {
            Settings configured = root.section("policy");
            PolicyBackend backend = registry.select(PolicyBackend.class, configured, "backend", "djl");
            Path dir = Run.initialModel(model, backend, configured, seed, tmp, log);
            ModelShape shape = model.format.shape(dir).orElse(null);
            List<DeviceResult> results = new ArrayList<>();
            String described = dir.toString();
            long parameters = shape == null ? 0 : shape.parameters();
            for (String device : devices.isEmpty() ? List.of(configured.string("device", "auto")) : devices) {
                Settings policyS = devices.isEmpty() ? configured : tree.with("policy.device", device, "--device").settings().section("policy");
                results.add(measure(backend, policyS, dir, shape, device, batch, promptTokens, newTokens, warmup, steps, seed, log));
                described = results.getLast().policy();
            }
            return new Result(described, parameters, batch, promptTokens, newTokens, warmup, results);
        } finally {
            Checkpoints.deleteTree(tmp);
        }
    }

    private static DeviceResult measure(PolicyBackend backend, Settings policyS, Path dir, ModelShape shape, String device, int batch,
                                        int promptTokens, int newTokens, int warmup, int steps, long seed, PrintStream log) {
        OptimizerSpec adamW = new OptimizerSpec(1e-6, 0.9, 0.999, 1e-8, 0.0, 1.0, 0);
        try (Policy policy = backend.open(new PolicySpec(dir, PolicySpec.Init.LOAD, ModelRole.ACTOR, adamW, seed), policyS)) {
            int vocab = policy.tokenizer().vocabularySize();
            int regular = vocab > 8 ? vocab - 4 : vocab;
            SplittableRandom rng = new SplittableRandom(seed);
            List<TokenSequence> seqs = new ArrayList<>();
            float[][] advantages = new float[batch][];
            for (int i = 0; i < batch; i++) {
                int[] tokens = rng.ints(promptTokens + newTokens, 0, regular).toArray();
                seqs.add(new TokenSequence(tokens, promptTokens));
                float a = (float) rng.nextGaussian();
                advantages[i] = new float[newTokens];
                Arrays.fill(advantages[i], a);
            }
            float[][] old = policy.logProbs(seqs);
            PolicyGradientObjective objective = new PolicyGradientObjective(seqs, advantages, old, null, ClipRange.symmetric(0.2), 0,
                    KlPenalty.none(), 0, LossAggregation.TOKEN_MEAN, 1);
            log.printf(Locale.ROOT, "bench train: %s on %s: %d x %d tokens, %d warm-up steps, %d timed%n", policy.describe(), device, batch,
                    promptTokens + newTokens, warmup, steps);
            double[] ms = new double[steps];
            double loss = Double.NaN;
            for (int s = 0; s < warmup + steps; s++) {
                long t0 = System.nanoTime();
                Map<String, Double> m = policy.train(objective);
                double t = (System.nanoTime() - t0) / 1e6;
                if (s >= warmup) ms[s - warmup] = t;
                loss = m.getOrDefault("loss", Double.NaN);
            }
            double median = median(ms);
            double tokensPerSecond = batch * (promptTokens + newTokens) / (median / 1e3);
            Optional<Roofline> roofline = shape == null ? Optional.empty()
                    : Roofline.measure(backend, policyS, shape, Math.min(batch, micro(policyS)) * (promptTokens + newTokens), 3);
            double share = roofline.map(r -> 3 * r.secondsPerToken() * tokensPerSecond).orElse(Double.NaN);
            return new DeviceResult(device, policy.describe(), median, ms, tokensPerSecond, loss, roofline, share);
        }
    }

    /** The micro-batch size a backend reads (every backend of this distribution calls it {@code micro_batch_size}); 32 when unset. */
    private static int micro(Settings policyS) {
        return Math.max(1, policyS.integer("micro_batch_size", 32));
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** {@return the figures as a table} */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "training step of %s: %d x (%d + %d) tokens, clipped policy gradient,"
                        + " token mean, clip 1.0, AdamW; Java %d, %d cores%n%n", r.model(), r.batch(), r.promptTokens(),
                r.newTokens(), Runtime.version().feature(), Runtime.getRuntime().availableProcessors()));
        sb.append(String.format(Locale.ROOT, "  %-8s %12s %12s %12s %14s %10s%n", "device", "ms/step", "tokens/s", "last loss",
                "roofline GF/s", "share"));
        for (DeviceResult d : r.devices()) {
            sb.append(String.format(Locale.ROOT, "  %-8s %12.1f %12.0f %12.5f %14s %10s%n", d.device(), d.msPerStep(), d.tokensPerSecond(),
                    d.lastLoss(), d.roofline().map(x -> String.format(Locale.ROOT, "%.1f", x.tokenFlopsPerSecond() / 1e9)).orElse("-"),
                    Double.isNaN(d.rooflineShare()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * d.rooflineShare())));
        }
        sb.append(String.format(Locale.ROOT, "%n  ms/step is the median of the timed steps after the warm-up; the roofline is the backend's own%n"
                + "  matmul on the model's weight shapes, and the share is the time those products would take at its%n"
                + "  speed (three per weight a token: forward and backward) over the measured step%n"));
        return sb.toString();
    }

    /** {@return the figures as one JSON-ready map} */
    public static Map<String, Object> json(Result r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", r.model());
        o.put("parameters", r.parameters());
        o.put("batch", r.batch());
        o.put("prompt_tokens", r.promptTokens());
        o.put("new_tokens", r.newTokens());
        o.put("warmup", r.warmup());
        Map<String, Object> each = new LinkedHashMap<>();
        for (DeviceResult d : r.devices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ms_per_step", d.msPerStep());
            m.put("ms_runs", d.msRuns());
            m.put("tokens_per_s", d.tokensPerSecond());
            m.put("last_loss", d.lastLoss());
            d.roofline().ifPresent(x -> {
                m.put("roofline_flops_per_s", x.tokenFlopsPerSecond());
                m.put("roofline_rows", x.rows());
                m.put("matmul_flops_per_s", x.flopsPerSecond());
                m.put("roofline_share", d.rooflineShare());
            });
            each.put(d.device(), m);
        }
        o.put("devices", each);
        o.put("ms_per_step", r.devices().getFirst().msPerStep());
        return o;
    }
}
