"""What pyproject.toml cannot say (the rest is there): the packages are found, not listed,
and the top-level resources/ folder is installed inside `app` as `app/_resources/`, where
app/resources.py finds it."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["app", "app.*", "widgets", "widgets.*"]), "app._resources"],
    package_dir={"app._resources": "resources"},
    package_data={"app._resources": ["*.json", "*.svg", "*.desktop", "page/*.js", "page/*.css"]},
)
