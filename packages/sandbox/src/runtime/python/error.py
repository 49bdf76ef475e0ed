# Describes the exception that ended a cell (Pyodide keeps it in sys.last_exc when it reaches the runtime).
# Inputs: `filename` (the cell's), `limit`. Output: `out` (JSON) or None. Straight-line code, like display.py:
# the exception's own `__str__` may run below this frame.
import json
import sys
import traceback

error = getattr(sys, "last_exc", None) or getattr(sys, "last_value", None)
sys.last_exc = sys.last_value = sys.last_type = sys.last_traceback = None
out = None
if error is not None:
    try:
        message = str(error)
    except BaseException as failure:
        message = f"<str failed: {type(failure).__name__}>"
    if isinstance(error, RecursionError) or (isinstance(error, MemoryError) and not message):
        message = message or "out of memory: the sandbox memory limit was reached"
    # Only the cell's own frames: the runtime's steps above them are not the user's concern.
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    try:
        text = "".join(traceback.format_exception(type(error), error, tb))
    except BaseException:
        text = f"{type(error).__name__}: {message}\n"
    out = json.dumps({"type": type(error).__name__, "message": message[:limit], "traceback": text[-limit:]})
    del error, tb
