package io.rlvr4j.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of the architecture brief, checked on the compiled classes of every module:
 * api depends on the JDK alone; plugins depend on api (and their own libraries), never on each
 * other; the app reaches plugins only through ServiceLoader.
 */
class ArchitectureTest {

    private static final List<String> MODULES = List.of("api", "algorithms-kit", "algorithms-rloo", "algorithms-ppo", "algorithms-prime",
            "backend-hf", "backend-djl", "backend-onnx", "verifier-math", "verifier-code", "data", "app");

    private static final String[] PLUGIN_PACKAGES = {"io.rlvr4j.algorithms..", "io.rlvr4j.backend..",
            "io.rlvr4j.verifier..", "io.rlvr4j.data.."};

    static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> dirs = MODULES.stream().map(m -> root.resolve(m).resolve("target/classes")).filter(Files::isDirectory).toList();
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPaths(dirs);
    }

    /**
     * What a model family is (its config keys, tensor names, tokenizer, template, how a fresh one is
     * made) lives with the model format and the backends: adding a family touches no app code.
     */
    @Test
    void appNamesNoModelFamily() throws java.io.IOException {
        Path sources = Path.of("src/main/java").toAbsolutePath();
        java.util.regex.Pattern family = java.util.regex.Pattern.compile("(?i)qwen|llama|deepseek|mistral|gemma|phi-?3");
        List<String> found = new java.util.ArrayList<>();
        try (var files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (family.matcher(lines.get(i)).find()) found.add(sources.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(found).as("app sources naming a model family").isEmpty();
    }

    @Test
    void apiDependsOnTheJdkAlone() {
        classes().that().resideInAPackage("io.rlvr4j.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.rlvr4j.api..", "java..")
                .check(classes);
    }

    @Test
    void appReachesPluginsOnlyThroughServiceLoader() {
        noClasses().that().resideInAPackage("io.rlvr4j.app..")
                .should().dependOnClassesThat().resideInAnyPackage(PLUGIN_PACKAGES)
                .check(classes);
    }

    @Test
    void algorithmsDependOnApiAndTheJdkOnly() {
        classes().that().resideInAPackage("io.rlvr4j.algorithms.(*)..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.rlvr4j.api..", "java..", "io.rlvr4j.algorithms..")
                .check(classes);
    }

    @Test
    void noPluginDependsOnAnotherPlugin() {
        for (String own : PLUGIN_PACKAGES) {
            String[] others = java.util.Arrays.stream(PLUGIN_PACKAGES).filter(p -> !p.equals(own)).toArray(String[]::new);
            noClasses().that().resideInAPackage(own).should().dependOnClassesThat().resideInAnyPackage(others)
                    .allowEmptyShould(true).check(classes);
        }
        noClasses().that().resideInAPackage("io.rlvr4j.backend.djl..").should().dependOnClassesThat()
                .resideInAPackage("io.rlvr4j.backend.onnx..").allowEmptyShould(true).check(classes);
        noClasses().that().resideInAPackage("io.rlvr4j.backend.onnx..").should().dependOnClassesThat()
                .resideInAPackage("io.rlvr4j.backend.djl..").allowEmptyShould(true).check(classes);
    }

    @Test
    void onlyBackendsTouchADeepLearningEngine() {
        noClasses().that().resideOutsideOfPackage("io.rlvr4j.backend..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "ai.onnxruntime..")
                .check(classes);
    }

    @Test
    void nothingOutsideAPluginUsesItsInternals() {
        noClasses().that().resideOutsideOfPackages(PLUGIN_PACKAGES)
                .should().dependOnClassesThat().resideInAPackage("..internal..")
                .check(classes);
    }
}
