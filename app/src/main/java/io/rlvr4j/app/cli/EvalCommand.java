package io.rlvr4j.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.app.config.ConfigLoader;
import io.rlvr4j.app.config.ConfigTree;
import io.rlvr4j.app.pipeline.Run;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rlvr4j eval}: a model on one or more benchmarks. It is a run with one evaluation stage per
 * benchmark, so it writes the same run directory and JSON as evaluation stages; {@code --output}
 * gathers the figures of every benchmark in one JSON file and each benchmark's responses in one JSONL.
 *
 * <p>A setting comes from the option given on the command line, else from the protocol
 * ({@code --protocol}, built in from {@code eval-protocols.yaml} or a YAML file), else from this
 * command's defaults.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Evaluate a model on benchmarks: greedy pass@1, avg@n, maj@n and pass@k.",
        description = {"Evaluate a model on one or more benchmarks: greedy pass@1 and, over n samples per problem,",
                "avg@n (mean accuracy of the samples), maj@n (accuracy of the most frequent answer) and the",
                "unbiased pass@k for every k <= n. Prints a table per benchmark and one side by side, and writes",
                "evaluations/<benchmark>.json, .greedy.jsonl and .samples.jsonl in a run directory.", "",
                "A protocol sets the decoding a model's authors report with (--protocol list shows the built-in",
                "ones); options given here override it."},
        footer = {"", "Examples:",
                "  rlvr4j eval --model DIR --data math500.jsonl aime24.parquet --protocol r1 -n 8 --output results/",
                "  rlvr4j eval --model DIR --data gsm8k.jsonl -n 0 --max-new-tokens 1024",
                "  rlvr4j eval --model runs/x/models/rl --source arithmetic --data-set split=eval -n 8 -k 1,4,8"})
public final class EvalCommand implements Callable<Integer> {

    static final String PROTOCOLS = "/io/rlvr4j/app/cli/eval-protocols.yaml";

    /** The command's own defaults, below a protocol's settings. */
    static final Map<String, Object> DEFAULTS = defaults();

    private static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("problems", 200);
        m.put("greedy", true);
        m.put("n", 8);
        m.put("temperature", 1.0);
        m.put("top_p", 1.0);
        m.put("max_new_tokens", 256);
        m.put("seed", 1234L);
        return m;
    }

    @Option(names = "--model", paramLabel = "DIR", description = "Hugging Face model directory (config.json, *.safetensors, tokenizer.json).")
    Path model;

    @Option(names = "--data", arity = "1..*", paramLabel = "FILE", description = {"Benchmark files, each evaluated and reported on its own, named by its file name: JSON lines,",
            "or Parquet (*.parquet). rlvr4j's fields (prompt or messages, answer), or a data set's own (verl rows,",
            "MATH500, GSM8K, AIME, OlympiadBench, APPS, LiveCodeBench …), recognised by its fields;",
            "--data-set preset=NAME or answer_key=PATH map others."})
    List<Path> data = new ArrayList<>();

    @Option(names = "--source", paramLabel = "NAME", description = "Data source plugin instead of --data, e.g. arithmetic; settings with --data-set.")
    String source;

    @Option(names = "--data-set", paramLabel = "KEY=VALUE", description = "A setting of every data set; repeatable, e.g. --data-set split=eval, --data-set preset=gsm8k.")
    List<String> dataSettings = new ArrayList<>();

    @Option(names = "--protocol", paramLabel = "NAME|FILE", description = "Decoding (and prompt) settings of a reported protocol: a built-in name, or a YAML file"
            + " with eval: and data_set: sections. `--protocol list` shows the built-in ones.")
    String protocol;

    @Option(names = "--problems", paramLabel = "N", description = "Problems per benchmark (the first N). Default: 200.")
    Integer problems;

    @Option(names = {"-n", "--samples"}, paramLabel = "N", description = "Samples per problem for avg@n, maj@n and pass@k; 0 = greedy only. Default: 8.")
    Integer samples;

    @Option(names = "-k", split = ",", paramLabel = "K", description = "The k of pass@k in the tables, e.g. -k 1,4,8 (the JSON has every k <= n). Default: 1 and n.")
    List<Integer> ks;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature. Default: 1.0.")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling threshold. Default: 1.0.")
    Double topP;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 = off. Default: off.")
    Integer topK;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Token budget per response. Default: 256.")
    Integer maxNewTokens;

    @Option(names = "--greedy", negatable = true, description = "Measure greedy pass@1 (--no-greedy skips it). Default: on.")
    Boolean greedy;

    @Option(names = "--seed", description = "Sampling seed. Default: 1234.")
    Long seed;

    @Option(names = "--reward", split = ",", paramLabel = "NAME", description = "Reward function plugins, each judging its domains, e.g. --reward math,code. Default: math.")
    List<String> rewards = new ArrayList<>(List.of("math"));

    @Option(names = "--backend", defaultValue = "djl", description = "Policy backend plugin. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--output-dir", defaultValue = "runs", paramLabel = "DIR", description = "Where the run directory goes. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Option(names = "--output", paramLabel = "DIR", description = {"Also write DIR/results.json (settings and every benchmark's figures) and, per benchmark,",
            "DIR/<benchmark>.jsonl: every response with the gold answer as read (expected) and its verdict."})
    Path output;

    @Override
    public Integer call() throws Exception {
        if ("list".equals(protocol)) {
            System.out.print(protocolList());
            return 0;
        }
        if (model == null) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing --model DIR");
        if (data.isEmpty() == (source == null)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give --data FILE... or --source NAME, not both");
        }
        Plan plan = plan();
        Run.Result result = Run.execute(plan.tree(), PluginRegistry.discover(), System.out);
        if (output != null) writeOutput(plan, result, output, System.out);
        return 0;
    }

    /** The run to do: its configuration, and for each benchmark its stage name and where it comes from. */
    record Plan(ConfigTree tree, Map<String, String> benchmarks, String protocol, Map<String, Object> settings) {}

    /** {@return the run configuration of the options}: one data set and one eval stage per benchmark */
    Plan plan() {
        Protocol p = protocol == null ? Protocol.NONE : Protocol.find(protocol);
        Map<String, String> locations = new LinkedHashMap<>();
        Map<String, Object> settings = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> from = new LinkedHashMap<>();
        DEFAULTS.keySet().forEach(k -> from.put(k, "rlvr4j eval's default"));
        p.eval().forEach((k, v) -> {
            settings.put(k, v);
            from.put(k, p.locate("eval." + k));
        });
        given(settings, from, "problems", problems, "--problems");
        given(settings, from, "greedy", greedy, greedy == null || greedy ? "--greedy" : "--no-greedy");
        given(settings, from, "n", samples, "-n");
        given(settings, from, "k", ks, "-k");
        given(settings, from, "temperature", temperature, "--temperature");
        given(settings, from, "top_p", topP, "--top-p");
        given(settings, from, "top_k", topK, "--top-k");
        given(settings, from, "max_new_tokens", maxNewTokens, "--max-new-tokens");
        given(settings, from, "seed", seed, "--seed");
        if (samples != null && samples == 0) { // -n 0 asks for greedy pass@1 alone, whatever the protocol samples
            if (ks == null) settings.remove("k");
            if (greedy == null) given(settings, from, "greedy", true, "-n 0");
        }

        Map<String, String> benchmarks = new LinkedHashMap<>();
        Map<String, Map<String, Object>> dataSets = new LinkedHashMap<>();
        if (data.isEmpty()) {
            Map<String, Object> set = new LinkedHashMap<>(Map.of("source", source));
            benchmarks.put("eval", "source " + source);
            dataSets.put("eval", set);
        } else {
            Set<String> used = new HashSet<>();
            for (Path file : data) {
                String name = benchmarkName(file, used);
                Map<String, Object> set = new LinkedHashMap<>();
                // a .parquet file is read by the parquet source, anything else as JSON lines
                set.put("source", file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet") ? "parquet" : "jsonl");
                set.put("path", file.toAbsolutePath().toString());
                set.put("shuffle", false);
                benchmarks.put(name, file.toString());
                dataSets.put(name, set);
            }
        }
        List<Object> stages = new ArrayList<>();
        int i = 0;
        for (String name : benchmarks.keySet()) {
            Map<String, Object> set = dataSets.get(name);
            p.dataSet().forEach((k, v) -> {
                set.put(k, v);
                locations.put("data." + name + "." + k, p.locate("data_set." + k));
            });
            Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("name", name);
            stage.put("type", "eval");
            stage.put("data", name);
            stage.putAll(settings);
            for (String k : settings.keySet()) locations.put("stages[" + i + "]." + k, from.get(k));
            stages.add(stage);
            i++;
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("run", new LinkedHashMap<>(Map.of("name", "eval", "output_dir", outputDir.toAbsolutePath().toString())));
        root.put("model", new LinkedHashMap<>(Map.of("path", model.toAbsolutePath().toString())));
        root.put("policy", new LinkedHashMap<>(Map.of("backend", backend)));
        List<Object> rewardList = new ArrayList<>();
        for (String r : rewards) rewardList.add(new LinkedHashMap<>(Map.of("name", r.trim())));
        root.put("rewards", rewardList);
        root.put("data", dataSets);
        root.put("stages", stages);
        ConfigTree tree = new ConfigTree(root, locations, Path.of("").toAbsolutePath(), "rlvr4j eval");
        for (String name : benchmarks.keySet()) {
            for (String s : dataSettings) tree = Overrides.apply(tree, List.of("data." + name + "." + s));
        }
        return new Plan(tree, benchmarks, p.name(), settings);
    }

    private static void given(Map<String, Object> settings, Map<String, String> from, String key, Object value, String option) {
        if (value == null) return;
        settings.put(key, value);
        from.put(key, option);
    }

    /** {@return a stage and data set name from a file name}: {@code math500.test.jsonl} is {@code math500.test} → {@code math500_test} */
    static String benchmarkName(Path file, Set<String> used) {
        String name = file.getFileName().toString();
        for (String ext : List.of(".jsonl", ".json", ".parquet", ".gz")) {
            if (name.toLowerCase(Locale.ROOT).endsWith(ext) && name.length() > ext.length()) name = name.substring(0, name.length() - ext.length());
        }
        name = name.replaceAll("[^A-Za-z0-9_-]", "_"); // a dot would split the key of --data-set and --set
        String unique = name;
        for (int i = 2; !used.add(unique); i++) unique = name + "_" + i;
        return unique;
    }

    /**
     * Writes {@code results.json} (the protocol, the settings and each benchmark's figures) and each
     * benchmark's responses, greedy then sampled, as {@code <benchmark>.jsonl}.
     */
    static void writeOutput(Plan plan, Run.Result result, Path dir, PrintStream out) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(dir);
        Path evaluations = result.runDir().resolve("evaluations");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", ((Map<?, ?>) plan.tree().values().get("model")).get("path"));
        doc.put("run_dir", result.runDir().toString());
        doc.put("protocol", plan.protocol());
        doc.put("settings", plan.settings());
        Map<String, Object> figures = new LinkedHashMap<>();
        for (Map.Entry<String, String> b : plan.benchmarks().entrySet()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("data", b.getValue());
            f.putAll(json.readValue(evaluations.resolve(b.getKey() + ".json").toFile(), Map.class));
            figures.put(b.getKey(), f);
            Path lines = dir.resolve(b.getKey() + ".jsonl");
            try (BufferedWriter w = Files.newBufferedWriter(lines)) {
                for (String part : List.of(".greedy.jsonl", ".samples.jsonl")) {
                    Path file = evaluations.resolve(b.getKey() + part);
                    if (!Files.exists(file)) continue;
                    for (String line : Files.readAllLines(file)) {
                        w.write(line);
                        w.newLine();
                    }
                }
            }
        }
        doc.put("benchmarks", figures);
        json.writeValue(dir.resolve("results.json").toFile(), doc);
        out.println("rlvr4j: wrote " + dir.resolve("results.json") + " and " + plan.benchmarks().size() + " response file(s) in " + dir);
    }

    /** {@return the built-in protocols, one paragraph each} */
    static String protocolList() {
        ConfigTree all = ConfigLoader.loadResource(PROTOCOLS);
        StringBuilder sb = new StringBuilder();
        for (String name : all.settings().keys()) {
            Protocol p = Protocol.of(name, all, name);
            sb.append(name);
            if (!p.aliases().isEmpty()) sb.append(" (also ").append(String.join(", ", p.aliases())).append(')');
            sb.append('\n').append("  ").append(p.description()).append('\n');
            sb.append("  eval: ").append(p.eval()).append('\n');
            if (!p.dataSet().isEmpty()) sb.append("  data_set: ").append(p.dataSet()).append('\n');
            sb.append("  source: ").append(p.source()).append("\n\n");
        }
        return sb.toString();
    }

    /**
     * A protocol: the eval stage's and the data sets' settings it sets, and the configuration it was
     * read from (to say where a setting that a stage refuses was written).
     */
    record Protocol(String name, String description, String source, List<String> aliases, Map<String, Object> eval,
                    Map<String, Object> dataSet, ConfigTree tree, String prefix) {

        static final Protocol NONE = new Protocol(null, "", "", List.of(), Map.of(), Map.of(), null, "");

        static Protocol of(String name, ConfigTree tree, String prefix) {
            Settings s = prefix.isEmpty() ? tree.settings() : tree.settings().section(prefix);
            Protocol p = new Protocol(name, s.string("description", ""), s.string("source", ""), s.strings("aliases", List.of()),
                    s.mapping("eval"), s.mapping("data_set"), tree, prefix);
            s.rejectUnknown();
            return p;
        }

        /** {@return where {@code key} of this protocol was written, e.g. {@code built-in eval-protocols.yaml:13}} */
        String locate(String key) {
            return tree.locate(prefix.isEmpty() ? key : prefix + "." + key);
        }

        /** {@return the built-in protocol {@code nameOrFile} (by name or alias), or the one in that YAML file} */
        static Protocol find(String nameOrFile) {
            String lower = nameOrFile.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".yaml") || lower.endsWith(".yml") || Files.isRegularFile(Path.of(nameOrFile))) {
                return of(nameOrFile, ConfigLoader.load(Path.of(nameOrFile)), "");
            }
            ConfigTree all = ConfigLoader.loadResource(PROTOCOLS);
            List<String> names = new ArrayList<>();
            for (String name : all.settings().keys()) {
                Protocol p = of(name, all, name);
                if (name.equals(lower) || p.aliases().contains(lower)) return p;
                names.add(name + (p.aliases().isEmpty() ? "" : " (" + String.join(", ", p.aliases()) + ")"));
            }
            throw new ConfigException("", "--protocol " + nameOrFile + ": no such protocol. Built in: " + String.join(", ", names)
                    + "; or give a YAML file with eval: and data_set: sections.");
        }
    }
}
