# The CPython subprocess's entry point (SubprocessSandbox): caps what sys.setrecursionlimit may ask at the
# sandbox's max_stack_frames (CPython recurses in Python without the C stack, so nothing else would),
# makes open('/dev/stdin') read the test's stdin (the host's pipe cannot be opened again by path as
# nobody), then runs /sandbox/main.py as __main__. Its own names are gone before the program starts.
def _rlvr4j_main(cap):
    import builtins
    import sys
    real = sys.setrecursionlimit
    real_open = builtins.open

    def open(file, mode='r', *args, **kwargs):
        if file == '/dev/stdin':
            kwargs['closefd'] = False
            return real_open(0, mode, *args, **kwargs)
        return real_open(file, mode, *args, **kwargs)

    builtins.open = open

    def setrecursionlimit(limit):
        real(min(limit, cap))

    sys.setrecursionlimit = setrecursionlimit
    names = sys.modules['__main__'].__dict__
    del names['_rlvr4j_main']
    names['__file__'] = '/sandbox/main.py'
    with open('/sandbox/main.py', 'rb') as f:
        code = compile(f.read(), '/sandbox/main.py', 'exec')
    exec(code, names)
