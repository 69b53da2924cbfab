# The guest side of the GraalPy sandbox (see PolyglotSandbox), evaluated once per context. Built inside a
# function so that no module global reaches the programs: compile once, run each test with its own namespace
# and stdin, and tell whether a program left the shared state of a reused context as it found it (modules,
# their attributes, sys.path, the recursion limit). Programs print to the context's stdout, so `write` (the
# host's raw writer, which the JavaScript harness needs) is not used here. `support` is judge_support.py,
# executed once here, before any program.
def _harness(shared, write, support):
    import builtins, io, sys
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
    real_open = builtins.open
    support_ns = {'__name__': '__rlvr4j_support__'}
    exec(compile(support, '<judge_support>', 'exec'), support_ns)
    guard = support_ns['_rlvr4j_guard']
    call = support_ns['_rlvr4j_call']

    def namespace(name):
        # open(0) and open('/dev/stdin') are the test's stdin, as on a judge (the sandbox has no files); a
        # global, since GraalPy's exec takes builtins from the builtins module, not from __builtins__
        def open(file, mode='r', *args, **kwargs):
            if file == 0 or file == '/dev/stdin':
                return sys.stdin.buffer if 'b' in mode else sys.stdin
            return real_open(file, mode, *args, **kwargs)
        return {'__name__': name, 'open': open}

    def set_stdin(text):
        # a real stdin: text, lines and sys.stdin.buffer (bytes), as CPython's
        sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode('utf-8')), encoding='utf-8')

    def snapshot():
        modules = {name: (m, dict(vars(m))) for name, m in list(sys.modules.items()) if m is not None}
        return modules, sys.getrecursionlimit(), list(sys.path), [id(x) for x in sys.meta_path]

    baseline = snapshot() if shared else None
    recursion_limit = sys.getrecursionlimit()

    def restore():
        # a program's sys.setrecursionlimit is its own (GraalPy bounds depth by the sandbox's stack frames)
        sys.stdin = stdin
        try:
            sys.setrecursionlimit(recursion_limit)
        except BaseException:
            pass

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
        set_stdin(text)
        try:
            exec(compiled, namespace('__main__'))
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
            restore()
        return None

    # function tests: check(entry point), each result vetted (judge_support.py) before check compares it
    def run_check(compiled, entry_point):
        set_stdin('')
        try:
            names = namespace('__rlvr4j__')
            exec(compiled, names)
            names['check'](guard(eval(entry_point, names)))
        except BaseException as e:
            return describe(e)
        finally:
            restore()
        return None

    # call-based tests: the program's function called with one test's arguments
    def run_call(compiled, fn_name, args_json, expected_json):
        set_stdin('')
        try:
            names = namespace('__main__')
            exec(compiled, names)
            call(names, fn_name, args_json, expected_json)
        except BaseException as e:
            return describe(e)
        finally:
            restore()
        return None

    return compile_program, run_stdio, run_check, clean, run_call
_harness
