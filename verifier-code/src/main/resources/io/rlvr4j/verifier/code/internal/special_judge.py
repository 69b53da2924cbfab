# A problem's checker run as a special judge (SpecialJudge.java), the way open-r1's Codeforces grader runs
# a generated_checker: `python checker.py input.txt correct_output.txt solution_output.txt`, accepted when
# it ends cleanly and prints 1. The sandbox has no files, so the three come on stdin (a JSON list) and open()
# serves them from memory; the checker's source replaces __CHECKER_SOURCE__ (base64 of its UTF-8 bytes).
import base64 as _rlvr4j_base64, builtins as _rlvr4j_builtins, io as _rlvr4j_io, json as _rlvr4j_json, os as _rlvr4j_os, sys as _rlvr4j_sys


def _rlvr4j_special_judge():
    names = ('input.txt', 'correct_output.txt', 'solution_output.txt')
    files = dict(zip(names, _rlvr4j_json.loads(_rlvr4j_sys.stdin.read())))
    real_open, real_io_open = _rlvr4j_builtins.open, _rlvr4j_io.open

    def open(file, mode='r', *args, **kwargs):
        name = _rlvr4j_os.fspath(file) if isinstance(file, (str, _rlvr4j_os.PathLike)) else None
        key = _rlvr4j_os.path.normpath(name) if isinstance(name, str) else None
        if key in files:
            if any(c in mode for c in 'wax+'):
                raise PermissionError(13, 'Permission denied', name)
            data = files[key].encode('utf-8')
            # text as a real file reads it: universal newlines
            return _rlvr4j_io.BytesIO(data) if 'b' in mode else _rlvr4j_io.TextIOWrapper(_rlvr4j_io.BytesIO(data), encoding='utf-8')
        return real_open(file, mode, *args, **kwargs)

    source = _rlvr4j_base64.b64decode('__CHECKER_SOURCE__').decode('utf-8')
    argv = _rlvr4j_sys.argv
    _rlvr4j_sys.argv = ['checker.py'] + list(names)
    _rlvr4j_sys.stdin = _rlvr4j_io.StringIO('')
    _rlvr4j_builtins.open = _rlvr4j_io.open = open
    try:
        exec(compile(source, 'checker.py', 'exec'), {'__name__': '__main__', '__file__': 'checker.py', 'open': open})
    finally:
        _rlvr4j_builtins.open, _rlvr4j_io.open = real_open, real_io_open
        _rlvr4j_sys.argv = argv


_rlvr4j_special_judge()
