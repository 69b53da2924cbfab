package io.rlvr4j.app.cli;

import io.rlvr4j.app.config.ConfigTree;
import io.rlvr4j.app.pipeline.Run;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rlvr4j eval}: greedy pass@1 and sampled pass@k of a model on a data set. It is a run with
 * a single evaluation stage, so it writes the same run directory and JSON as an evaluation stage.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        header = "Evaluate a model on a data set: greedy pass@1 and sampled pass@k.",
        description = {"Evaluate a model: greedy pass@1 and sampled pass@k (unbiased estimator, n",
                "samples per problem). Prints a table and writes evaluations/eval.json in a run",
                "directory (and --out, if given)."})
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model directory (config.json, *.safetensors, tokenizer.json).")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", description = {"A file of problems: JSON lines, or Parquet (*.parquet). rlvr4j's fields (prompt or messages, answer),",
            "or a data set's own (verl rows, MATH500, GSM8K, AIME, OlympiadBench, APPS, LiveCodeBench …), recognised by",
            "its fields; --data-set preset=NAME or answer_key=PATH map others."})
    Path data;

    @Option(names = "--source", paramLabel = "NAME", description = "Data source plugin instead of --data, e.g. arithmetic; settings with --data-set.")
    String source;

    @Option(names = "--data-set", paramLabel = "KEY=VALUE", description = "A setting of the data source; repeatable, e.g. --data-set split=eval.")
    List<String> dataSettings = new ArrayList<>();

    @Option(names = "--problems", defaultValue = "200", description = "Problems to evaluate (the first N). Default: ${DEFAULT-VALUE}.")
    int problems;

    @Option(names = {"-n", "--samples"}, defaultValue = "8", description = "Samples per problem for pass@k; 0 = greedy only. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "-k", split = ",", paramLabel = "K", description = "The k of pass@k, e.g. -k 1,4,8. Default: 1 and n.")
    List<Integer> ks;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling threshold. Default: ${DEFAULT-VALUE}.")
    double topP;

    @Option(names = "--max-new-tokens", defaultValue = "256", description = "Token budget per response. Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--no-greedy", description = "Skip greedy pass@1.")
    boolean noGreedy;

    @Option(names = "--reward", defaultValue = "math", description = "Reward function plugin. Default: ${DEFAULT-VALUE}.")
    String reward;

    @Option(names = "--backend", defaultValue = "djl", description = "Policy backend plugin. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--seed", defaultValue = "1234", description = "Sampling seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--output-dir", defaultValue = "runs", description = "Where the run directory goes. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the result JSON here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if ((data == null) == (source == null)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give exactly one of --data FILE and --source NAME");
        }
        Map<String, Object> dataSet = new LinkedHashMap<>();
        if (data != null) {
            // a .parquet file is read by the parquet source, anything else as JSON lines
            dataSet.put("source", data.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet") ? "parquet" : "jsonl");
            dataSet.put("path", data.toAbsolutePath().toString());
            dataSet.put("shuffle", false);
        } else {
            dataSet.put("source", source);
        }
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("type", "eval");
        stage.put("data", "eval");
        stage.put("problems", problems);
        stage.put("greedy", !noGreedy);
        stage.put("n", samples);
        if (ks != null) stage.put("k", ks);
        stage.put("temperature", temperature);
        stage.put("top_p", topP);
        stage.put("max_new_tokens", maxNewTokens);
        stage.put("seed", seed);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("run", new LinkedHashMap<>(Map.of("name", "eval", "output_dir", outputDir.toAbsolutePath().toString())));
        root.put("model", new LinkedHashMap<>(Map.of("path", model.toAbsolutePath().toString())));
        root.put("policy", new LinkedHashMap<>(Map.of("backend", backend)));
        root.put("rewards", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("name", reward)))));
        root.put("data", new LinkedHashMap<>(Map.of("eval", dataSet)));
        root.put("stages", new ArrayList<>(List.of(stage)));
        ConfigTree tree = new ConfigTree(root, Map.of(), Path.of("").toAbsolutePath(), "command line");
        for (String s : dataSettings) {
            tree = Overrides.apply(tree, List.of("data.eval." + s));
        }
        Run.Result result = Run.execute(tree, PluginRegistry.discover(), System.out);
        if (out != null) {
            Path written = result.runDir().resolve("evaluations").resolve("eval.json");
            Files.copy(written, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return 0;
    }
}
