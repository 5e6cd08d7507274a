"""Two mapped packages pyproject.toml cannot express beside a find:

- templates/ sits at the top of the repo so statisticians find and edit it, and ships
  inside the package as addin.templates so an installed copy renders without the repo;
- ``import planreport`` (the distribution's name) is addin/public, a face over addin.api.
"""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["addin", "addin.*"], exclude=["addin.public"]) + ["addin.templates", "planreport"],
    package_dir={"addin.templates": "templates", "planreport": "addin/public"},
)
