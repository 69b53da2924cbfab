/**
 * The service-provider interfaces of rlvr4j, the records that cross them and the shared maths.
 *
 * <p>Depends on the JDK alone. Plugins implement one of the five SPIs and publish it with
 * {@code provides}; the app finds them with {@link java.util.ServiceLoader} and selects them by
 * {@link io.rlvr4j.api.Plugin#name()} from the run configuration.
 */
module io.rlvr4j.api {
    exports io.rlvr4j.api;
    exports io.rlvr4j.api.config;
    exports io.rlvr4j.api.objective;
    exports io.rlvr4j.api.math;
}
