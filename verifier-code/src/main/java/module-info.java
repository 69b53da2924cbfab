/**
 * Module shell, filled by a later issue. It publishes no provider yet, so {@code rlvr4j plugins}
 * does not list it: a plugin that is listed works.
 */
module io.rlvr4j.verifier.code {
    requires io.rlvr4j.api;
}
