# What both Python sandboxes add to function and call-based tests (see TestSuite): results are vetted
# before a test compares them, and call-based tests are run and compared here. In GraalPy this is
# executed once into a namespace of its own; in the CPython subprocess it follows the program, so the
# names carry a prefix no program uses.
import json as _rlvr4j_json
import sys as _rlvr4j_sys

_rlvr4j_loads = _rlvr4j_json.loads
_rlvr4j_dumps = _rlvr4j_json.dumps
# the real attributes of a class, past any property a metaclass defines under the same name
_rlvr4j_mro_of = type.__dict__['__mro__'].__get__
_rlvr4j_dict_of = type.__dict__['__dict__'].__get__
# the interpreter's own types, whose comparisons and arithmetic can be trusted, by identity (a class of
# the program can claim any __module__, and its metaclass can make it compare equal to int)
_RLVR4J_SAFE = set()
for _m in ('builtins', 'fractions', 'decimal', 'numbers', 'collections', 'datetime', 'enum', 'abc', 'typing', 'types'):
    try:
        __import__(_m)
        for _v in list(vars(_rlvr4j_sys.modules[_m]).values()):
            if isinstance(_v, type):
                _RLVR4J_SAFE.add(id(_v))
    except Exception:
        pass
_RLVR4J_SAFE = frozenset(_RLVR4J_SAFE)
_RLVR4J_JSON_TYPES = frozenset(id(t) for t in (int, float, str, bool, type(None)))
_RLVR4J_ATOMS = frozenset(id(t) for t in (int, float, str, bool, bytes, complex, type(None)))
# what a class written by the program may define and still be compared by identity only
_RLVR4J_HARMLESS = frozenset(('__init__', '__new__', '__repr__', '__str__', '__format__', '__hash__', '__module__',
                              '__qualname__', '__dict__', '__weakref__', '__doc__', '__slots__', '__annotations__',
                              '__firstlineno__', '__static_attributes__', '__init_subclass__', '__class_getitem__',
                              '__orig_bases__', '__parameters__', '__annotate__', '__annotate_func__',
                              '__annotations_cache__', '__classcell__', '__type_params__'))


def _rlvr4j_vet(value, limit=200000):
    """Refuses a result that decides its own comparisons: an object of a class, written by the program
    (or anywhere outside the interpreter's own types), that defines __eq__, __bool__, __sub__ and the like,
    found in the result, its containers or its attributes (an always-equal object passes any assert)."""
    seen = set()
    todo = [value]
    while todo:
        x = todo.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if len(seen) > limit:
            return
        t = type(x)
        if id(t) in _RLVR4J_ATOMS:
            continue
        for cls in _rlvr4j_mro_of(t):
            if id(cls) in _RLVR4J_SAFE:
                continue
            for name in _rlvr4j_dict_of(cls):
                if name.startswith('__') and name.endswith('__') and name not in _RLVR4J_HARMLESS:
                    raise AssertionError('the result is a ' + t.__name__ + ', whose class defines ' + name
                                              + ': results are compared by value, as builtin types')
        if isinstance(x, dict):
            todo.extend(dict.keys(x))
            todo.extend(dict.values(x))
        elif isinstance(x, (list, tuple, set, frozenset)):
            todo.extend(list(x))
        elif not isinstance(x, type):
            attrs = getattr(x, '__dict__', None)
            if isinstance(attrs, dict):
                todo.extend(attrs.values())


def _rlvr4j_guard(candidate):
    """The entry point as check(candidate) sees it: the same calls, each result vetted first."""
    if not callable(candidate):
        return candidate

    def guarded(*args, **kwargs):
        result = candidate(*args, **kwargs)
        _rlvr4j_vet(result)
        return result

    return guarded


def _rlvr4j_plain(x):
    """A result as JSON values, for call-based tests: tuples become lists (as APPS compares them), and
    anything that is not a bool, number, string, None, list or dict is refused."""
    t = type(x)
    if id(t) in _RLVR4J_JSON_TYPES:
        return x
    if t is list or t is tuple:
        return [_rlvr4j_plain(v) for v in x]
    if t is dict:
        return {_rlvr4j_plain(k): _rlvr4j_plain(v) for k, v in x.items()}
    raise AssertionError('the result is a ' + t.__name__ + '; call-based tests compare JSON values '
                              '(numbers, strings, booleans, None, lists, dicts)')


def _rlvr4j_callable(namespace, fn_name):
    """The function a call-based test calls: a method of class Solution (LeetCode, TACO), else a function."""
    solution = namespace.get('Solution')
    if isinstance(solution, type) and hasattr(solution, fn_name):
        return getattr(solution(), fn_name)
    fn = namespace.get(fn_name)
    if callable(fn):
        return fn
    raise NameError('the program defines no function ' + fn_name + ' (nor a method ' + fn_name + ' of class Solution)')


def _rlvr4j_call(namespace, fn_name, args_json, expected_json):
    """One call-based test: the function called with the test's arguments (a JSON list), its result
    equal to the expected JSON value, or to its only element (APPS and TACO wrap outputs in a list)."""
    args = _rlvr4j_loads(args_json)
    expected = _rlvr4j_loads(expected_json)
    fn = _rlvr4j_callable(namespace, fn_name)
    result = _rlvr4j_plain(fn(*args) if isinstance(args, list) else fn(args))
    if result == expected or (isinstance(expected, list) and len(expected) == 1 and result == expected[0]):
        return
    shown = _rlvr4j_dumps(result)
    raise AssertionError('expected ' + expected_json[:300] + ', got ' + shown[:300])
