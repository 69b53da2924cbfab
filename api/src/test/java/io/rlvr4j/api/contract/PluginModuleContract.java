package io.rlvr4j.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.Plugin;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.RolloutEngine;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The module rules every plugin keeps, checked on its module descriptor and providers (the plugin
 * author's counterpart of the ArchUnit rules of this build):
 * <pre>{@code
 * class CountdownModuleTest extends PluginModuleContract {
 *     protected Class<?> pluginClass() { return CountdownReward.class; }
 * }
 * }</pre>
 *
 * <p>The plugin is a named, explicit module (tests on the module path, as Maven runs them for a
 * module with {@code module-info.java}); it requires {@code io.rlvr4j.api} and no other rlvr4j module
 * (the app and other plugins are not there for a drop-in, and their internals change); it provides
 * at least one SPI; it carries no copy of the api's packages; its providers are not in exported
 * packages (configuration selects them by name, nothing imports them); each provider can be made as
 * {@link java.util.ServiceLoader} makes it, has a lower-case name unique within its SPI and module,
 * and a one-line description.
 *
 * <p>Shipped in the {@code rlvr4j-api} test-jar.
 */
public abstract class PluginModuleContract {

    private static final Set<String> SPIS = Set.of(PolicyBackend.class.getName(), RolloutEngine.class.getName(), Algorithm.class.getName(),
            RewardFunction.class.getName(), DataSource.class.getName(), io.rlvr4j.api.ModelFormat.class.getName());

    /** {@return any class of the plugin's module} */
    protected abstract Class<?> pluginClass();

    /** {@return the rlvr4j modules the plugin may require}: the api; a module of this distribution may add its libraries */
    protected Set<String> allowedRlvr4jModules() {
        return Set.of("io.rlvr4j.api");
    }

    private Module module() {
        return pluginClass().getModule();
    }

    private ModuleDescriptor descriptor() {
        ModuleDescriptor d = module().getDescriptor();
        assertThat(d).as("%s is in a named module (a module-info.java, tests on the module path)", pluginClass()).isNotNull();
        return d;
    }

    @Test
    void isAnExplicitModule() {
        assertThat(descriptor().isAutomatic()).as("module %s has a module-info.java", descriptor().name()).isFalse();
    }

    @Test
    void requiresTheApiAndNoOtherRlvr4jModule() {
        List<String> requires = descriptor().requires().stream().map(ModuleDescriptor.Requires::name).toList();
        assertThat(requires).contains("io.rlvr4j.api");
        assertThat(requires.stream().filter(r -> r.startsWith("io.rlvr4j.")).toList())
                .as("rlvr4j modules required by %s", descriptor().name()).isSubsetOf(allowedRlvr4jModules());
    }

    @Test
    void carriesNoCopyOfTheApi() {
        assertThat(descriptor().packages()).noneMatch(p -> p.equals("io.rlvr4j.api") || p.startsWith("io.rlvr4j.api."));
    }

    @Test
    void providesAnSpiFromUnexportedPackages() {
        List<ModuleDescriptor.Provides> provides = descriptor().provides().stream().filter(p -> SPIS.contains(p.service())).toList();
        assertThat(provides).as("%s provides one of %s", descriptor().name(), SPIS).isNotEmpty();
        Set<String> exported = new HashSet<>();
        descriptor().exports().stream().filter(e -> !e.isQualified()).forEach(e -> exported.add(e.source()));
        for (ModuleDescriptor.Provides p : provides) {
            for (String impl : p.providers()) {
                String pkg = impl.substring(0, impl.lastIndexOf('.'));
                assertThat(exported).as("provider %s is in exported package %s; keep providers internal", impl, pkg).doesNotContain(pkg);
            }
        }
    }

    @Test
    void everyProviderIsMadeAsServiceLoaderMakesItAndNamedProperly() throws Exception {
        for (ModuleDescriptor.Provides p : descriptor().provides()) {
            if (!SPIS.contains(p.service())) continue;
            Set<String> names = new HashSet<>();
            for (String impl : p.providers()) {
                Class<?> c = Class.forName(module(), impl);
                assertThat(c).as("provider class %s in module %s", impl, descriptor().name()).isNotNull();
                List<Plugin> made = new ArrayList<>();
                assertThatCode(() -> made.add(make(c))).as("making %s as ServiceLoader does", impl).doesNotThrowAnyException();
                Plugin plugin = made.getFirst();
                assertThat(plugin.name()).as("name of %s", impl).matches("[a-z][a-z0-9_\\-]*");
                assertThat(names.add(plugin.name())).as("two providers of %s named '%s'", p.service(), plugin.name()).isTrue();
                assertThat(plugin.description()).as("description of %s", impl).isNotBlank().doesNotContain("\n");
            }
        }
    }

    /** A public static {@code provider()} method, else a public no-argument constructor: {@link java.util.ServiceLoader}'s order. */
    private static Plugin make(Class<?> c) throws Exception {
        for (Method m : c.getMethods()) {
            if (m.getName().equals("provider") && m.getParameterCount() == 0 && Modifier.isStatic(m.getModifiers())) return (Plugin) m.invoke(null);
        }
        return (Plugin) c.getConstructor().newInstance();
    }
}
