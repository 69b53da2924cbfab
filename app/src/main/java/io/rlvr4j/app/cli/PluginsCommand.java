package io.rlvr4j.app.cli;

import io.rlvr4j.app.plugins.PluginRegistry;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code rlvr4j plugins}: every discovered provider of every SPI. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every installed plugin: its SPI, the name that selects it, its module and version.")
public final class PluginsCommand implements Runnable {

    @Override
    public void run() {
        PluginRegistry registry = PluginRegistry.discover();
        String format = "%-16s %-10s %-42s %s%n";
        System.out.printf(Locale.ROOT, format, "SPI", "NAME", "MODULE", "DESCRIPTION");
        for (PluginRegistry.Entry e : registry.all()) {
            System.out.printf(Locale.ROOT, format, e.spi().type().getSimpleName(), e.name(), e.module(), e.description());
        }
    }
}
