package io.rlvr4j.data.internal;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * Problems from a JSON-Lines file: one JSON object per line, blank lines skipped.
 *
 * <pre>
 * {"id": "gsm8k-17", "prompt": "Natalia sold clips to 48 …", "answer": "72", "level": 2}
 * {"messages": [{"role": "system", "content": "Think step by step."}, {"role": "user", "content": "1+1?"}], "answer": 2}
 * {"prompt": "7+3*2-4=", "answer": -9, "solution": "3*2=6\n…\n\\boxed{9}", "domain": "math"}
 * </pre>
 *
 * <table>
 *   <caption>Fields of a line</caption>
 *   <tr><th>field</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code id}</td><td>string or number</td><td>unique in the file; default {@code <file name>:<line>}</td></tr>
 *   <tr><td>{@code prompt}</td><td>string</td><td>the prompt text (exactly one of prompt and messages)</td></tr>
 *   <tr><td>{@code messages}</td><td>array of {@code {role, content}}</td><td>chat turns; role is system, user or assistant</td></tr>
 *   <tr><td>{@code answer}</td><td>string or number</td><td>the reference answer, kept as text ({@code 0.50} stays {@code 0.50})</td></tr>
 *   <tr><td>{@code domain}</td><td>string</td><td>default: the {@code domain} setting</td></tr>
 *   <tr><td>{@code solution}</td><td>string</td><td>a worked solution for SFT, in metadata under {@code solution}</td></tr>
 *   <tr><td>anything else</td><td>any</td><td>into metadata as String, Boolean, Integer/Long/BigInteger, Double,
 *       List or Map; a top-level {@code null} is left out</td></tr>
 * </table>
 *
 * <p>Rows of other shapes are read too, recognised by their fields or named with {@code preset}
 * (verl/SkyRL, MATH/MATH500/AIME/AMC/DeepScaleR/NuminaMath, Minerva, GSM8K, OlympiadBench, APPS/TACO,
 * CodeContests, LiveCodeBench: see {@link RowMapper}), with single fields mapped by {@code prompt_key},
 * {@code answer_key}, {@code solution_key}, {@code id_key}, {@code domain_key} (nested paths such as
 * {@code reward_model.ground_truth}). Rows without a usable answer or tests are left out and counted
 * in {@link io.rlvr4j.api.ProblemStream#notes()}.
 *
 * <p>The whole file is read when the stream opens; every error is a {@link io.rlvr4j.api.DataException}
 * that names the file, the line (and column, for malformed JSON) and what was expected.
 *
 * <p>Settings: {@code path} (required; relative to the configuration file), {@code shuffle}
 * (default {@code true}), {@code seed} (default 0), {@code domain} (default {@code math}),
 * {@code limit} (default 0: every problem; else the first {@code limit} problems of the file).
 * The stream repeats in epochs, reshuffled each epoch with a seed derived from (seed, epoch).
 */
public final class JsonlDataSource implements DataSource {

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public String description() {
        return "problems from a JSON-Lines file (prompt or messages, answer, metadata), shuffled per epoch";
    }

    @Override
    public ProblemStream open(Settings settings) {
        Path path = settings.requirePath("path");
        boolean shuffle = settings.flag("shuffle", true);
        long seed = settings.longValue("seed", 0);
        String domain = settings.string("domain", "math");
        if (domain.isBlank()) throw settings.invalid("domain", "must not be blank; e.g. math or code");
        int limit = settings.integer("limit", 0);
        if (limit < 0) throw settings.invalid("limit", "must be >= 0 (0 reads every problem)");
        String pathKey = settings.prefix().isEmpty() ? "path" : settings.prefix() + ".path";
        JsonlProblemReader reader = new JsonlProblemReader(path, pathKey, domain, limit, new RowMapper(settings, domain));
        List<Problem> problems = reader.read();
        return new EpochStream(problems, shuffle, seed, reader.notes());
    }
}
