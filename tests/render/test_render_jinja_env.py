"""The report environments' shortcuts (attribute lookups on dicts, plain macro calls) give what
Jinja itself gives, for every way a template can use them."""
from __future__ import annotations

import jinja2
import pytest

from addin.render.jinja_cache import environment_class

SOURCE = """\
{%- macro plain(a, b) -%}[{{ a }}|{{ b }}]{%- endmacro -%}
{%- macro defaults(a, b="d") -%}({{ a }},{{ b }}){%- endmacro -%}
{%- macro many() -%}{{ varargs | join(",") }}/{{ kwargs | dictsort | join(",") }}{%- endmacro -%}
{%- macro wrap(x) -%}<{{ caller(x) }}>{%- endmacro -%}
{%- macro stop() -%}{{ next(empty) }}{%- endmacro -%}
{{ plain(row.name, "<b>") }} {{ defaults(1) }} {{ defaults(1, b=2) }} {{ many(1, 2, k=3) }}
{%- for r in rows %} {{ plain(r.name, loop.index) }}{% call(v) wrap(r.name) %}{{ v }}!{% endcall %}{% endfor %}
{{ row.items is defined }} {{ row.get("name") }} {{ row.missing is defined }} {{ row.cells.rate }} {{ stop() }}
"""


def render(env_class, autoescape: bool, **kw) -> str:
    env = env_class(autoescape=autoescape, undefined=jinja2.ChainableUndefined)
    row = {"name": "A&B", "cells": {"rate": "F5"}, "items": "shadowed"}
    return env.from_string(SOURCE).render(row=row, rows=[row, {"name": "<c>"}], next=next, empty=iter(()), **kw)


@pytest.mark.parametrize("autoescape", [True, False])
def test_same_output_as_jinja(autoescape):
    ours, jinjas = render(environment_class(), autoescape), render(jinja2.Environment, autoescape)
    assert ours == jinjas
    assert ("A&amp;B" in ours) is autoescape and "(1,2)" in ours and "1,2/(" in ours and "<A" in ours


def test_errors_are_jinjas():
    strict = environment_class()(undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
        strict.from_string("{{ row.missing }}").render(row={"name": "x"})
    with pytest.raises(TypeError, match="takes no keyword argument 'c'"):
        strict.from_string("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, c=2) }}").render()
    with pytest.raises(TypeError, match="takes not more than 1 argument"):
        strict.from_string("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}").render()
