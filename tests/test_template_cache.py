"""hooks/templates.py: compiled templates are kept between builds (Jinja's bytecode cache), and an edited
template is compiled again, so a build never shows an old template."""
import glob
import os
from hashlib import sha1

import pytest
from jinja2 import FileSystemBytecodeCache

from conftest import build, make_project


@pytest.mark.build
def test_templates_are_kept_compiled_and_an_edit_still_shows(tmp_path):
    project = make_project(tmp_path / "p")
    main = project / "overrides" / "main.html"
    cache = FileSystemBytecodeCache()
    key = sha1(f"main.html|{main}".encode()).hexdigest()    # Jinja's key: the name and the file it came from
    entries = os.path.join(cache.directory, f"__jinja2_{key}.*.cache")   # .<settings>: hooks/templates.py

    first = build(project)
    assert first.code == 0, first.output
    assert (first.site / "index.html").read_text(encoding="utf-8").count("TEMPLATE-EDITED") == 0
    assert any(os.path.getsize(entry) for entry in glob.glob(entries)), f"no compiled main.html at {entries}"

    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block extrahead %}\n  {{ super() }}", "{% block extrahead %}\n  {{ super() }}<!-- TEMPLATE-EDITED -->", 1),
        encoding="utf-8")
    second = build(project)
    assert second.code == 0, second.output
    assert "<!-- TEMPLATE-EDITED -->" in (second.site / "index.html").read_text(encoding="utf-8"), \
        "the edited template was not compiled again: the build used the old compiled code"
