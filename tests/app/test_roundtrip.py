"""Any project the model can hold survives save and load, by both reading paths."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings

from app.fileformat import canonical, fastread, projectfile
from app.fileformat.yamlread import read_located
from tests.app.strategies import projects

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(projects())
def test_save_then_load_gives_the_same_project(project):
    text = projectfile.dumps(project)
    assert projectfile.loads(text) == project
    assert projectfile.dumps(projectfile.loads(text)) == text  # canonical: byte for byte


@SETTINGS
@given(projects())
def test_fast_path_agrees_with_pyyaml(project):
    text = projectfile.dumps(project)
    fast = fastread.read_fast(text)
    located = read_located(text)
    assert located.data == yaml.load(
        text, Loader=yaml.CSafeLoader
    )  # our event reader is PyYAML's reading
    problems: list = []
    slow, _ = projectfile.build(located.data, problems)
    slow.preamble = project.preamble
    assert not problems
    assert slow == project
    if all(canonical._name(i) == i for i in project.all_ids()):
        assert fast == slow  # plain ids: the fast path must take it
    else:
        assert fast is None or fast == slow
