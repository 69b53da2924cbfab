package io.rlvr4j.verifier.code.internal;

import io.rlvr4j.api.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a program must pass, read from a problem's metadata. Two kinds:
 * <ul>
 *   <li>{@link Stdio}: {@code inputs} and {@code outputs}, two lists of strings of the same length
 *       (a program reads each input on stdin and must print the output);
 *   <li>{@link Function}: HumanEval / LeetCode style: {@code test} (source defining
 *       {@code check(candidate)}, or, in JavaScript, assertions that run themselves) and {@code entry_point} (the function's name); the problem's
 *       {@code prompt} (the signature and docstring) goes before the response's code unless the code
 *       defines the entry point itself.
 * </ul>
 */
sealed interface TestSuite {

    /** {@return how many tests the suite counts} */
    int size();

    record Stdio(List<String> inputs, List<String> outputs) implements TestSuite {
        public Stdio {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            if (inputs.size() != outputs.size()) throw new IllegalArgumentException("inputs and outputs differ in length");
            if (inputs.isEmpty()) throw new IllegalArgumentException("no tests");
        }

        @Override
        public int size() {
            return inputs.size();
        }
    }

    record Function(String prompt, String test, String entryPoint) implements TestSuite {
        @Override
        public int size() {
            return 1;
        }

        /**
         * {@return the program to run}: the prompt (signature and docstring) first unless the code defines the
         * entry point itself, then the code, then the tests
         */
        String source(Language language, String code) {
            String head = language.defines(code, entryPoint) || prompt.isBlank() ? "" : prompt + (prompt.endsWith("\n") ? "" : "\n");
            return language.functionProgram(head, code, test, entryPoint);
        }
    }

    /**
     * {@return the tests of a problem}
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    static TestSuite of(Problem problem) {
        Map<String, Object> m = problem.metadata();
        if (m.containsKey("test") || m.containsKey("entry_point")) {
            String test = string(m, "test", problem);
            String entry = string(m, "entry_point", problem);
            if (!entry.matches("[A-Za-z_][A-Za-z_0-9]*")) {
                throw new IllegalArgumentException("problem " + problem.id() + ": entry_point must be a function name, not '" + entry + "'");
            }
            return new Function(problem.prompt() == null ? "" : problem.prompt(), test, entry);
        }
        if (m.containsKey("inputs") || m.containsKey("outputs")) {
            List<String> in = strings(m, "inputs", problem);
            List<String> out = strings(m, "outputs", problem);
            if (in.size() != out.size()) {
                throw new IllegalArgumentException("problem " + problem.id() + ": " + in.size() + " inputs but " + out.size() + " outputs");
            }
            if (in.isEmpty()) throw new IllegalArgumentException("problem " + problem.id() + ": no tests (inputs is empty)");
            return new Stdio(in, out);
        }
        throw new IllegalArgumentException("problem " + problem.id() + " has no tests: give \"inputs\" and \"outputs\" (stdin/stdout), "
                + "or \"test\" and \"entry_point\" (HumanEval style)");
    }

    private static String string(Map<String, Object> m, String key, Problem p) {
        if (!(m.get(key) instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("problem " + p.id() + ": \"" + key + "\" must be a non-empty string");
        }
        return s;
    }

    private static List<String> strings(Map<String, Object> m, String key, Problem p) {
        if (!(m.get(key) instanceof List<?> list)) throw new IllegalArgumentException("problem " + p.id() + ": \"" + key + "\" must be a list");
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) throw new IllegalArgumentException("problem " + p.id() + ": every item of \"" + key + "\" must be a string");
            out.add(s);
        }
        return out;
    }
}
