"""Compiled Jinja templates kept on disk between processes.

Compiling the phrasebook takes ~37 ms and the Word body template as long again, in every
`planreport refresh` and every batch worker; loading the compiled code back takes well under
a millisecond. The key is the source text plus everything that changes the generated code
(Jinja and Python versions, the environment's syntax and escaping options, the template's
name), so an edited template or another Jinja never meets stale code. The folder is the
user's own (~/.cache/planreport/jinja, or $PLANREPORT_CACHE/jinja); when it cannot be
written, templates are simply compiled as before.

The environment class made here also takes two shortcuts through Jinja's runtime that the
phrasebook's ≈ 1,000 macro calls and ≈ 3,500 attribute lookups a report make worth it, each
giving what Jinja gives (tests/render/test_render_jinja_env.py compares them).
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional


def cache_dir() -> Optional[Path]:
    return cache_folder("jinja")


@lru_cache(maxsize=4)
def cache_folder(name: str) -> Optional[Path]:
    """~/.cache/planreport/<name> (or $PLANREPORT_CACHE/<name>), None when it cannot be written."""
    base = os.environ.get("PLANREPORT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "planreport")
    folder = Path(base) / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def marshalled(folder: Optional[Path], filename: str, make: Callable[[], object]):
    """``make()``, kept as ``folder/filename`` in marshal format (code objects or plain values)."""
    if folder is None:
        return make()
    path = folder / filename
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = make()
    try:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(value))
        os.replace(tmp, path)  # whole or absent, whichever process gets there first
    except (OSError, ValueError):
        pass
    return value


def _key(env, source: str, name: Optional[str], filename: Optional[str]) -> str:
    import jinja2

    options = (jinja2.__version__, sys.version, sys.implementation.cache_tag, name, filename, env.autoescape,
               env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence,
               env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
               env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
               env.line_comment_prefix, env.optimized, sorted(env.extensions))
    digest = hashlib.sha256(repr(options).encode("utf-8"))
    digest.update(source.encode("utf-8"))
    return digest.hexdigest()


def cached_compile(env, compile_, source: str, name: Optional[str], filename: Optional[str]):
    """``compile_(source, name, filename)`` through the disk cache."""
    return marshalled(cache_dir(), _key(env, source, name, filename) + ".code", lambda: compile_(source, name, filename))


@lru_cache(maxsize=1)
def environment_class():
    """jinja2.Environment whose compile() goes through the disk cache (imported on first use)."""
    import jinja2

    from jinja2.runtime import Context, Macro, Markup

    dict_attributes = frozenset(dir(dict))
    # The shortcut below reads Macro's private fields as Jinja 3.1 sets them; a Jinja whose Macro
    # sets them no longer (its __init__ names them) goes its own way for every call.
    shortcut = {"_func", "_argument_count"} <= set(Macro.__init__.__code__.co_names)

    class MacroCallingContext(Context):
        def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
            # A report calls ≈ 1,000 phrasebook macros. Jinja reaches each through Context.call
            # (pass_* checks), Macro.__call__ (argument matching) and Macro._invoke; for the
            # plain call they all end in, `_func(*args)` made Markup when autoescaping, that
            # is done here directly. Anything else (keywords, caller, varargs) goes Jinja's way.
            if shortcut and __obj.__class__ is Macro and not __self.environment.is_async:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
                if (not kwargs and len(args) == __obj._argument_count and not __obj.caller
                        and not __obj.catch_kwargs and not __obj.catch_varargs):
                    try:
                        rv = __obj._func(*args)
                    except StopIteration:
                        return __self.environment.undefined(
                            "value was undefined because a callable raised a StopIteration exception")
                    return Markup(rv) if __self.eval_ctx.autoescape else rv
            return super().call(__obj, *args, **kwargs)

    class DiskCachedEnvironment(jinja2.Environment):
        context_class = MacroCallingContext

        def getattr(self, obj, attribute):
            # ``i.name`` on a plain dict: Jinja tries getattr() first and takes the item only after an
            # AttributeError, ≈ 1,500 exceptions a report. A dict instance has exactly the attributes
            # of its type, so for any other name the item (or Undefined) is what Jinja returns anyway.
            if obj.__class__ is dict and attribute not in dict_attributes:
                try:
                    return obj[attribute]
                except KeyError:
                    return self.undefined(obj=obj, name=attribute)
            return super().getattr(obj, attribute)

        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
            if raw or defer_init or not isinstance(source, str):
                return super().compile(source, name, filename, raw, defer_init)
            return cached_compile(self, lambda s, n, f: super(DiskCachedEnvironment, self).compile(s, n, f),
                                  source, name, filename)

    return DiskCachedEnvironment
