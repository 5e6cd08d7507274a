"""The ``planreport`` package: the distribution's name as an import name. It holds nothing
of its own — the API lives in ``addin.api`` (setup.py maps this folder to ``planreport``)."""
from addin.api import *  # noqa: F401,F403
from addin.api import __all__, __version__  # noqa: F401
