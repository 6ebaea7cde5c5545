"""Browser tests (pytest -m browser): a package, so its conftest does not shadow tests/conftest.py."""
