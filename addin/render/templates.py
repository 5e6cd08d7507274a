"""Where the editable templates live, and the Jinja environments that read them."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

PHRASEBOOK = "phrases.j2"
HTML_TEMPLATE = "summary.html.j2"
DOCX_TEMPLATE = "summary.docx"

# Private-use characters mark underlined spans in plain-text phrases; the
# Word renderer turns them into underlined runs and no cell text can contain
# them (narrative strips them from data first).
UNDERLINE_OPEN = "\ue000"
UNDERLINE_CLOSE = "\ue001"


def templates_dir(override: Optional[Union[str, Path]] = None) -> Path:
    """The installed ``addin.templates`` package, else the checkout's ``templates/``."""
    if override is not None:
        return _checked(Path(override))
    return _installed()


@lru_cache(maxsize=1)
def _installed() -> Path:
    """Where the installed templates are: the same for the life of the process, looked up once.
    The package's own __path__ says it (a wheel's addin/templates, or the checkout's templates/
    through an editable install's mapping) without importlib.resources, whose import alone
    costs ≈ 20 ms of every refresh's start."""
    try:
        import addin.templates as package  # a folder of data files: no __init__ needed

        for folder in getattr(package, "__path__", []):
            if (Path(folder) / PHRASEBOOK).is_file():
                return Path(folder)
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "templates"


def _checked(directory: Path) -> Path:
    """A --templates folder must hold all three files: nothing is filled in from the packaged copy."""
    from addin.common.errors import PlanReportError

    if not directory.is_dir():
        raise PlanReportError(f"{directory}: 模板文件夹不存在")
    missing = [name for name in (PHRASEBOOK, HTML_TEMPLATE, DOCX_TEMPLATE) if not (directory / name).is_file()]
    if missing:
        raise PlanReportError(f"{directory}: 模板文件夹中缺少 {'、'.join(missing)}；请复制整个 templates 文件夹后再修改")
    return directory


def environment(directory: Path, *, markup: bool):
    """One environment per output: HTML escapes and wraps numbers; text stays plain.

    Both load the same phrasebook, so one edit there changes both reports.
    Kept per resolved directory for the life of the process: building one and
    recompiling the phrasebook cost more than the rest of an HTML report, and
    the loader still recompiles a template whose file has changed since.
    """
    return _environment(Path(directory).resolve(), markup)


@lru_cache(maxsize=8)
def _environment(directory: Path, markup: bool):
    import jinja2

    from addin.render.jinja_cache import environment_class

    env = environment_class()(
        loader=jinja2.FileSystemLoader(str(directory)),
        autoescape=markup,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    from addin.common.model import SEVERITY_WORDS, STATUS_WORDS

    env.globals.update(
        status_words=STATUS_WORDS,  # the one set of words 核算结果, the terminal and both reports use
        severity_words=SEVERITY_WORDS,
        markup=markup,
        ul_open="" if markup else UNDERLINE_OPEN,
        ul_close="" if markup else UNDERLINE_CLOSE,
    )
    return env
