"""templates/ sits at the top of the repo so statisticians find and edit it, and ships
inside the package as addin.templates so an installed copy renders without the repo.
pyproject.toml cannot add a mapped package to a find, so this does."""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["addin", "addin.*"]) + ["addin.templates"],
    package_dir={"addin.templates": "templates"},
)
