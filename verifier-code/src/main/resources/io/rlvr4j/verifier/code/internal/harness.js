// The guest side of the GraalJS sandbox (see PolyglotSandbox), evaluated once per context; it returns
// [compile, runStdio, runCheck, clean] like the Python harness. A program is compiled once into a function
// nested in one whose parameters are the Node-style globals a judge's programs use (console, process,
// require, readline, print, module), made afresh for every test, so each test has its own scope, stdin and
// stdout while the program's top-level declarations never reach the global object. `write(text)` is the host's raw writer
// to the test's capped stdout.
(function (shared, write) {
    'use strict';

    class AssertionError extends Error {
        constructor(message) {
            super(message === undefined ? 'assertion failed' : String(message));
            this.name = 'AssertionError';
        }
    }

    /** Thrown by process.exit(); carries the exit code through the program's own frames. */
    class Exit {
        constructor(code) {
            this.code = code;
        }
    }

    // Node's console.log format, for the values programs print: strings as they are, arrays and objects
    // in Node's layout ([ 1, 2, 3 ], { a: 1 }), nested strings quoted.
    function inspect(v, nested, depth) {
        if (typeof v === 'string') return nested ? "'" + v + "'" : v;
        if (typeof v === 'bigint') return v + 'n';
        if (typeof v === 'function') return '[Function: ' + (v.name || '(anonymous)') + ']';
        if (v === null || typeof v !== 'object') return String(v);
        if (depth > 2) return Array.isArray(v) ? '[Array]' : '[Object]';
        if (Array.isArray(v)) {
            return v.length === 0 ? '[]' : '[ ' + v.map(x => inspect(x, true, depth + 1)).join(', ') + ' ]';
        }
        if (v instanceof Error) return v.stack || String(v);
        if (v instanceof Map) return 'Map(' + v.size + ') {' + (v.size ? ' ' + [...v].map(([k, x]) =>
            inspect(k, true, depth + 1) + ' => ' + inspect(x, true, depth + 1)).join(', ') + ' ' : '') + '}';
        if (v instanceof Set) return 'Set(' + v.size + ') {' + (v.size ? ' ' + [...v].map(x => inspect(x, true, depth + 1)).join(', ') + ' ' : '') + '}';
        const keys = Object.keys(v);
        return keys.length === 0 ? '{}' : '{ ' + keys.map(k => k + ': ' + inspect(v[k], true, depth + 1)).join(', ') + ' }';
    }

    function format(args) {
        return args.map(a => inspect(a, false, 0)).join(' ');
    }

    function deepEqual(a, b, strict) {
        if (strict ? Object.is(a, b) : a == b) return true; // eslint-disable-line eqeqeq
        if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
        if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
        if (Array.isArray(a) !== Array.isArray(b)) return false;
        if (a instanceof Map && b instanceof Map) {
            return a.size === b.size && [...a].every(([k, v]) => b.has(k) && deepEqual(v, b.get(k), strict));
        }
        if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every(x => b.has(x));
        const ka = Object.keys(a), kb = Object.keys(b);
        return ka.length === kb.length && ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k], strict));
    }

    function fail(message, actual, expected, operator) {
        throw new AssertionError(message !== undefined ? message
            : inspect(actual, true, 0) + ' ' + operator + ' ' + inspect(expected, true, 0));
    }

    // node:assert, as MultiPL-E's and LeetCode-style JavaScript tests use it
    const assert = Object.freeze(Object.assign(function assert(value, message) {
        if (!value) fail(message, value, true, '==');
    }, {
        AssertionError,
        ok(value, message) { if (!value) fail(message, value, true, '=='); },
        equal(a, b, message) { if (a != b) fail(message, a, b, '=='); }, // eslint-disable-line eqeqeq
        notEqual(a, b, message) { if (a == b) fail(message, a, b, '!='); }, // eslint-disable-line eqeqeq
        strictEqual(a, b, message) { if (!Object.is(a, b)) fail(message, a, b, '==='); },
        notStrictEqual(a, b, message) { if (Object.is(a, b)) fail(message, a, b, '!=='); },
        deepEqual(a, b, message) { if (!deepEqual(a, b, false)) fail(message, a, b, 'deepEqual'); },
        deepStrictEqual(a, b, message) { if (!deepEqual(a, b, true)) fail(message, a, b, 'deepStrictEqual'); },
        notDeepStrictEqual(a, b, message) { if (deepEqual(a, b, true)) fail(message, a, b, 'notDeepStrictEqual'); },
        throws(f, _expected, message) {
            try {
                f();
            } catch (e) {
                return;
            }
            fail(message === undefined ? 'missing expected exception' : message);
        },
        fail(message) { fail(message === undefined ? 'failed' : message); },
    }));

    /** The globals of one test: stdin, stdout and the callbacks that read stdin once the program's body has run. */
    function environment(input) {
        let position = 0;
        const handlers = [];
        const readline = () => {
            if (position >= input.length) return undefined;
            let end = input.indexOf('\n', position);
            if (end < 0) end = input.length;
            const line = input.slice(position, end).replace(/\r$/, '');
            position = end + 1;
            return line;
        };
        const log = (...args) => write(format(args) + '\n');
        const ignore = () => {};
        const console = {
            log, info: log, debug: log, error: ignore, warn: ignore, trace: ignore,
            assert(condition, ...message) {
                // a failed console.assert only prints in Node; a test that uses it (HumanEval-X) means a failure
                if (!condition) throw new AssertionError(message.length ? format(message) : 'console.assert');
            },
        };
        const stdin = {
            setEncoding: ignore, resume: ignore, pause: ignore,
            on(event, f) {
                if (event === 'data' || event === 'end') handlers.push(() => event === 'data' ? f(input) : f());
                return stdin;
            },
        };
        const process = Object.freeze({
            stdin,
            stdout: { write(text) { write(String(text)); return true; } },
            stderr: { write() { return true; } },
            argv: ['node', 'program'], env: {}, platform: 'linux',
            exit(code) { throw new Exit(code === undefined ? 0 : code); },
            hrtime: Object.assign(() => [0, 0], { bigint: () => 0n }),
            nextTick(f, ...args) { handlers.push(() => f(...args)); },
        });
        const lines = () => {
            const all = input.split('\n').map(l => l.replace(/\r$/, ''));
            if (all.length > 0 && all[all.length - 1] === '') all.pop();
            return all;
        };
        const modules = {
            fs: {
                readFileSync(file) {
                    if (file === 0 || file === '/dev/stdin') return input;
                    throw new Error("ENOENT: no such file or directory, open '" + file + "' (programs have no files)");
                },
            },
            readline: {
                createInterface() {
                    const rl = {
                        on(event, f) {
                            if (event === 'line') handlers.push(() => lines().forEach(l => f(l)));
                            else if (event === 'close') handlers.push(() => f());
                            return rl;
                        },
                        close: ignore, setPrompt: ignore, prompt: ignore,
                    };
                    return rl;
                },
            },
            assert, 'assert/strict': assert, util: { inspect: v => inspect(v, true, 0), format: (...a) => format(a) },
        };
        const require = name => {
            const key = String(name).replace(/^node:/, '');
            if (Object.prototype.hasOwnProperty.call(modules, key)) return modules[key];
            throw new Error("Cannot find module '" + name + "' (programs may require fs, readline, assert, util)");
        };
        const print = (...args) => write(format(args) + '\n');
        const module = { exports: {} };
        return { args: [console, process, require, readline, print, module, module.exports], handlers };
    }

    const PARAMETERS = ['console', 'process', 'require', 'readline', 'print', 'module', 'exports'];

    function compile(code) {
        // the program's top-level declarations become the locals of an inner function, so they may shadow the
        // globals (`const readline = require('readline')`); its last line may return [check, candidate]
        return new Function(...PARAMETERS, 'return (function () {\n' + code + '\n})();');
    }

    function describe(e) {
        if (e instanceof Error || (e !== null && typeof e === 'object' && typeof e.name === 'string')) {
            const message = String(e.message === undefined ? '' : e.message);
            return e.name + (message ? ': ' + message.slice(0, 300) : '');
        }
        return 'Uncaught ' + String(e).slice(0, 300);
    }

    function run(compiled, input) {
        const env = environment(input);
        const result = compiled(...env.args);
        // the callbacks registered on stdin and readline run once the body has run, as the event loop would
        for (let i = 0; i < env.handlers.length; i++) env.handlers[i]();
        return result;
    }

    function guarded(f) {
        try {
            f();
        } catch (e) {
            if (e instanceof Exit) return e.code === 0 ? null : 'process.exit(' + String(e.code).slice(0, 50) + ')';
            return describe(e);
        }
        return null;
    }

    function runStdio(compiled, input) {
        return guarded(() => run(compiled, input));
    }

    function runCheck(compiled) {
        return guarded(() => {
            const [check, candidate] = run(compiled, '') || [];
            if (typeof check === 'function') check(candidate);
        });
    }

    // What a program could change for the next one: the global object, the built-ins and their prototypes.
    // The check uses only functions captured here and indexed loops: a program that replaced
    // Array.prototype.every or Object.is must not be able to make it say "clean".
    const is = Object.is, getPrototypeOf = Object.getPrototypeOf, isExtensible = Object.isExtensible;
    const describeProperty = Object.getOwnPropertyDescriptor, hasOwn = Object.hasOwn, ownKeys = Reflect.ownKeys;
    const roots = [globalThis];
    for (const name of Object.getOwnPropertyNames(globalThis)) {
        const v = globalThis[name];
        if ((typeof v === 'function' || (typeof v === 'object' && v !== null)) && !roots.includes(v)) {
            roots.push(v);
            if (typeof v === 'function' && v.prototype && typeof v.prototype === 'object') roots.push(v.prototype);
        }
    }
    for (const p of [getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(getPrototypeOf([][Symbol.iterator]())),
        getPrototypeOf(function* () {}).prototype, getPrototypeOf(Int8Array), getPrototypeOf(Int8Array.prototype)]) {
        if (!roots.includes(p)) roots.push(p);
    }

    function snapshot() {
        const s = [];
        for (let i = 0; i < roots.length; i++) {
            const o = roots[i];
            s[s.length] = getPrototypeOf(o);
            s[s.length] = isExtensible(o);
            const keys = ownKeys(o);
            for (let k = 0; k < keys.length; k++) {
                const d = describeProperty(o, keys[k]);
                s[s.length] = keys[k];
                s[s.length] = hasOwn(d, 'value') ? d.value : undefined;
                s[s.length] = hasOwn(d, 'get') ? d.get : undefined;
                s[s.length] = hasOwn(d, 'set') ? d.set : undefined;
                s[s.length] = hasOwn(d, 'writable') ? d.writable : undefined;
            }
        }
        return s;
    }

    const baseline = shared ? snapshot() : null;

    function clean() {
        const now = snapshot();
        if (now.length !== baseline.length) return false;
        for (let i = 0; i < now.length; i++) {
            if (!is(now[i], baseline[i])) return false;
        }
        return true;
    }

    return [compile, runStdio, runCheck, clean];
})
