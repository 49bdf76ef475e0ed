# Steps of the sandbox runtime that run no user code. The runtime (sandbox-runtime.ts) executes this file into a
# fresh namespace for each step and clears that namespace right after, so none of these functions exists while
# user code runs: nothing of the harness is on the stack, in sys.modules or among gc.get_objects().
import ast
import json
import linecache
import os
import random
import sys


BLOCKED = ("_agenticgen", "js", "pyodide_js")


def block_host_modules():
    # Refuses the modules that lead from Python to JavaScript objects (and the name of the old harness module).
    # The class is made here, once: it stays in sys.meta_path, and once this step's namespace is cleared its
    # method's globals hold nothing.
    if not any(type(finder).__name__ == "BlockHostModules" for finder in sys.meta_path):

        class BlockHostModules:
            blocked = frozenset(BLOCKED)

            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in self.blocked:
                    raise ModuleNotFoundError(f"[sandbox] module {name!r} is not available in the sandbox", name=name)
                return None

        sys.meta_path.insert(0, BlockHostModules())
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]


def reseed():
    """A snapshot freezes the random state; every restored interpreter draws a new one from the host CSPRNG."""
    random.seed(int.from_bytes(os.urandom(32), "big"))


def prepare(code, filename):
    """The cell's statements and, when it ends with an expression, that expression (shown as the result)."""
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    tree = ast.parse(code, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = compile(ast.Expression(tree.body.pop().value), filename, "eval")
    return compile(tree, filename, "exec"), last


def list_files(directory):
    found = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                found.append({"path": path, "size": os.path.getsize(path)})
            except OSError:
                pass
    return json.dumps(found)


def replace_recursion_setter(replacement):
    """Puts `replacement` (a clamping JavaScript function) wherever the original builtin is held."""
    import gc

    original = sys.setrecursionlimit
    for holder in gc.get_objects():
        if isinstance(holder, dict) and holder.get("setrecursionlimit") is original:
            holder["setrecursionlimit"] = replacement


def set_sigint(handler):
    """`handler` (the runtime's, between runs) or, for None, Python's default one (during a run)."""
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler if handler is None else handler)
