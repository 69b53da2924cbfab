package io.rlvr4j.verifier.code.internal;

import io.rlvr4j.api.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a program must pass, read from a problem's metadata. Three kinds:
 * <ul>
 *   <li>{@link Stdio}: {@code inputs} and {@code outputs}, two lists of strings of the same length
 *       (a program reads each input on stdin and must print the output, or, where the problem has a
 *       {@code checker}, an output that checker accepts);
 *   <li>{@link Function}: HumanEval / LeetCode style: {@code test} (source defining
 *       {@code check(candidate)}, or, in JavaScript, assertions that run themselves) and {@code entry_point}
 *       (the function's name, or in Python an expression such as {@code Solution().twoSum}); the problem's
 *       {@code prompt} (the signature and docstring) goes before the response's code unless the code
 *       defines the entry point itself ({@code code_prompt}, when present, instead of the prompt: a
 *       prompt in prose has no code to put first);
 *   <li>{@link Call}: APPS / TACO call-based tests: {@code fn_name}, {@code inputs} (each test's
 *       argument list) and {@code outputs} (each test's result), any JSON values.
 * </ul>
 * A prelude (the problem's {@code metadata.prelude}, or the reward's {@code prelude} setting) goes
 * before the program of function and call-based tests.
 */
sealed interface TestSuite {

    /** {@return how many tests the suite counts} */
    int size();

    /**
     * @param checker a special judge: the source of a Python checker program that decides instead of
     *     comparing outputs ({@link SpecialJudge}), or null
     */
    record Stdio(List<String> inputs, List<String> outputs, String checker) implements TestSuite {
        public Stdio {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            if (inputs.size() != outputs.size()) throw new IllegalArgumentException("inputs and outputs differ in length");
            if (inputs.isEmpty()) throw new IllegalArgumentException("no tests");
        }

        Stdio(List<String> inputs, List<String> outputs) {
            this(inputs, outputs, null);
        }

        @Override
        public int size() {
            return inputs.size();
        }
    }

    /** @param prelude source before everything else ("" for none) */
    record Function(String prompt, String prelude, String test, String entryPoint) implements TestSuite {
        @Override
        public int size() {
            return 1;
        }

        /**
         * {@return the program to run}: the prelude, the prompt (signature and docstring) unless the code
         * defines the entry point itself, the code, then the tests
         */
        String source(Language language, String code) {
            String head = language.defines(code, entryPoint) || prompt.isBlank() ? "" : prompt + (prompt.endsWith("\n") ? "" : "\n");
            return lines(prelude) + language.functionProgram(head, code, test, entryPoint);
        }
    }

    /**
     * @param arguments each test's arguments, a JSON list (or one JSON value: the only argument)
     * @param expected each test's result as JSON; a one-element list also matches its element
     */
    record Call(String prelude, String fnName, List<String> arguments, List<String> expected) implements TestSuite {
        public Call {
            arguments = List.copyOf(arguments);
            expected = List.copyOf(expected);
            if (arguments.size() != expected.size()) throw new IllegalArgumentException("inputs and outputs differ in length");
        }

        @Override
        public int size() {
            return arguments.size();
        }

        /** {@return the program to run: the prelude, then the code} */
        String source(String code) {
            return lines(prelude) + code + "\n";
        }
    }

    private static String lines(String text) {
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }

    /**
     * {@return the tests of a problem}
     *
     * @param prelude the reward's prelude, used where the problem has no {@code metadata.prelude}
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    static TestSuite of(Problem problem, Language language, String prelude) {
        Map<String, Object> m = problem.metadata();
        if (m.get("prelude") instanceof String own) prelude = own;
        else if (m.containsKey("prelude") && m.get("prelude") != null) {
            throw new IllegalArgumentException("problem " + problem.id() + ": \"prelude\" must be a string of source");
        }
        if (m.containsKey("test") || m.containsKey("entry_point")) {
            String test = string(m, "test", problem);
            String entry = string(m, "entry_point", problem).strip();
            if (!language.acceptsEntryPoint(entry)) {
                throw new IllegalArgumentException("problem " + problem.id() + ": entry_point must be " + language.entryPointForm()
                        + ", not '" + entry + "'");
            }
            String head = m.containsKey("code_prompt") ? optional(m, "code_prompt", problem) : problem.prompt();
            return new Function(head == null ? "" : head, prelude, test, entry);
        }
        if (m.containsKey("fn_name")) {
            String fn = string(m, "fn_name", problem).strip();
            if (!fn.matches("[A-Za-z_][A-Za-z_0-9]*")) {
                throw new IllegalArgumentException("problem " + problem.id() + ": fn_name must be a function name, not '" + fn + "'");
            }
            if (language != Language.PYTHON) {
                throw new IllegalArgumentException("problem " + problem.id() + ": call-based tests (fn_name) are judged in Python only");
            }
            List<?> in = list(m, "inputs", problem);
            List<?> out = list(m, "outputs", problem);
            if (in.size() != out.size()) {
                throw new IllegalArgumentException("problem " + problem.id() + ": " + in.size() + " inputs but " + out.size() + " outputs");
            }
            if (in.isEmpty()) throw new IllegalArgumentException("problem " + problem.id() + ": no tests (inputs is empty)");
            List<String> args = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                args.add(Json.write(in.get(i)));
                expected.add(Json.write(out.get(i)));
            }
            return new Call(prelude, fn, args, expected);
        }
        if (m.containsKey("inputs") || m.containsKey("outputs")) {
            List<String> in = strings(m, "inputs", problem);
            List<String> out = strings(m, "outputs", problem);
            if (in.size() != out.size()) {
                throw new IllegalArgumentException("problem " + problem.id() + ": " + in.size() + " inputs but " + out.size() + " outputs");
            }
            if (in.isEmpty()) throw new IllegalArgumentException("problem " + problem.id() + ": no tests (inputs is empty)");
            String checker = m.get("checker") == null ? null : string(m, "checker", problem);
            if (checker != null && language != Language.PYTHON) {
                throw new IllegalArgumentException("problem " + problem.id() + ": its checker is a Python program, which a "
                        + language.configName() + " sandbox cannot run; judge it with language: python");
            }
            return new Stdio(in, out, checker);
        }
        throw new IllegalArgumentException("problem " + problem.id() + " has no tests: give \"inputs\" and \"outputs\" (stdin/stdout), "
                + "\"fn_name\", \"inputs\" and \"outputs\" (call-based), or \"test\" and \"entry_point\" (HumanEval style)");
    }

    private static String string(Map<String, Object> m, String key, Problem p) {
        if (!(m.get(key) instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("problem " + p.id() + ": \"" + key + "\" must be a non-empty string");
        }
        return s;
    }

    private static String optional(Map<String, Object> m, String key, Problem p) {
        if (m.get(key) == null || m.get(key) instanceof String) return (String) m.get(key);
        throw new IllegalArgumentException("problem " + p.id() + ": \"" + key + "\" must be a string");
    }

    private static List<?> list(Map<String, Object> m, String key, Problem p) {
        if (!(m.get(key) instanceof List<?> list)) throw new IllegalArgumentException("problem " + p.id() + ": \"" + key + "\" must be a list");
        return list;
    }

    private static List<String> strings(Map<String, Object> m, String key, Problem p) {
        List<String> out = new ArrayList<>();
        for (Object o : list(m, key, p)) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("problem " + p.id() + ": every item of \"" + key + "\" must be a string"
                        + (o instanceof List<?> ? " (argument lists are call-based tests, which need \"fn_name\")" : ""));
            }
            out.add(s);
        }
        return out;
    }
}
