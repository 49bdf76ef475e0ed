# Shows a cell's last expression: evaluates it, then its text and rich forms, capped at `limit` characters.
# Inputs: `last` (the expression's code), `namespace` (the session's globals), `limit`. Output: `out` (JSON) or
# None. Straight-line code on purpose: it defines no function, so while user code runs below it (the expression,
# `__repr__`, `_repr_html_`, ...) this frame's globals hold only the inputs, the value and standard modules.
import base64
import json

value = eval(last, namespace)
out = None
if value is not None:
    truncated = False
    try:
        plain = repr(value)
    except BaseException as failure:
        plain = f"<repr failed: {type(failure).__name__}>"
    if len(plain) > limit:
        plain, truncated = plain[:limit], True
    bundle = {"text/plain": plain}
    forms = []
    for method, mime in (("_repr_html_", "text/html"), ("_repr_json_", "application/json"), ("_repr_png_", "image/png")):
        function = getattr(type(value), method, None)
        if callable(function):
            try:
                forms.append((mime, function(value)))
            except Exception:
                pass
    function = getattr(type(value), "_repr_mimebundle_", None)
    if callable(function):
        try:
            extra = function(value)
            if isinstance(extra, tuple):
                extra = extra[0]
            for mime, data in dict(extra).items():
                if mime != "text/plain":
                    forms.append((str(mime), data))
        except Exception:
            pass
    for mime, data in forms:
        try:
            if data is None:
                continue
            if isinstance(data, (bytes, bytearray)):
                data = base64.b64encode(bytes(data)).decode("ascii")
            elif not isinstance(data, str):
                data = json.dumps(data, default=str)
        except Exception:
            continue
        if len(data) > limit:
            truncated = True
            continue
        bundle[mime] = data
    out = json.dumps({"result": {"repr": plain, "mime": bundle}, "truncated": truncated})
