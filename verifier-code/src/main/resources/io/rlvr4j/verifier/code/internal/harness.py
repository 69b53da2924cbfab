# The guest side of the GraalPy sandbox (see PolyglotSandbox), evaluated once per context. Built inside a
# function so that no module global reaches the programs: compile once, run each test with its own namespace
# and stdin, and tell whether a program left the shared state of a reused context as it found it (modules,
# their attributes, sys.path, the recursion limit). Programs print to the context's stdout, so `write` (the
# host's raw writer, which the JavaScript harness needs) is not used here.
def _harness(shared, write):
    import io, sys
    # a context shared by programs imports the usual modules once, so that they are in the baseline
    for name in ('math', 'itertools', 'collections', 'heapq', 'bisect', 'functools', 're', 'string',
                 'random', 'operator', 'copy', 'decimal', 'fractions', 'statistics', 'typing', 'array',
                 'datetime', 'queue', 'time', 'json', 'textwrap', 'enum', 'dataclasses', 'numbers') if shared else ():
        try:
            __import__(name)
        except Exception:
            pass
    stdin = sys.stdin
    missing = object()

    def snapshot():
        modules = {name: (m, dict(vars(m))) for name, m in list(sys.modules.items()) if m is not None}
        return modules, sys.getrecursionlimit(), list(sys.path), [id(x) for x in sys.meta_path]

    baseline = snapshot() if shared else None

    def clean():
        modules, limit, path, meta = baseline
        if sys.getrecursionlimit() != limit or sys.path != path or [id(x) for x in sys.meta_path] != meta:
            return False
        if len(sys.modules) != len(modules):
            return False
        for name, (m, attrs) in modules.items():
            if sys.modules.get(name) is not m:
                return False
            now = vars(m)
            if len(now) != len(attrs):
                return False
            for k, v in attrs.items():
                if now.get(k, missing) is not v:
                    return False
        return True

    def compile_program(code):
        return compile(code, '<program>', 'exec')

    def describe(e):
        text = str(e)
        return type(e).__name__ + (': ' + text[:300] if text else '')

    # the program's own errors come back as "Type: message", not as host exceptions
    # (limits and the watchdog cancel the context; no guest code can catch that)
    def run_stdio(compiled, text):
        sys.stdin = io.StringIO(text)
        try:
            exec(compiled, {'__name__': '__main__'})
        except SystemExit as e:
            if e.code not in (None, 0):
                return 'SystemExit: ' + str(e.code)[:300]
        except BaseException as e:
            return describe(e)
        finally:
            try:
                sys.stdout.flush()
            except BaseException:
                pass
            sys.stdin = stdin
        return None

    def run_check(compiled, entry_point):
        sys.stdin = io.StringIO('')
        try:
            namespace = {'__name__': '__rlvr4j__'}
            exec(compiled, namespace)
            namespace['check'](namespace[entry_point])
        except BaseException as e:
            return describe(e)
        finally:
            sys.stdin = stdin
        return None

    return compile_program, run_stdio, run_check, clean
_harness
