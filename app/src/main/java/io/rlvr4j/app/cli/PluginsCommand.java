package io.rlvr4j.app.cli;

import io.rlvr4j.app.plugins.PluginRegistry;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code rlvr4j plugins}: every discovered provider of every SPI. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        header = "List every installed plugin with its SPI, name, module and version.",
        description = {"List every installed plugin: its SPI, the name that selects it, its module and version",
                "(and, for a third-party plugin of the plugin directory, its file); then the plugin",
                "directory's plugins that could not be loaded, with why."})
public final class PluginsCommand implements Runnable {

    @Override
    public void run() {
        PluginRegistry registry = PluginRegistry.discover(PluginRegistry.directory());
        String format = "%-16s %-10s %-42s %s%n";
        System.out.printf(Locale.ROOT, format, "SPI", "NAME", "MODULE", "DESCRIPTION");
        for (PluginRegistry.Entry e : registry.all()) {
            System.out.printf(Locale.ROOT, format, e.spi().type().getSimpleName(), e.name(), e.module(), e.description());
        }
        System.out.printf(Locale.ROOT, "%nplugin directory: %s%n", PluginRegistry.directory());
        registry.problems().forEach((file, why) -> System.out.printf(Locale.ROOT, "  not loaded: %s: %s%n", file.getFileName(), why));
    }
}
