"""The README's Python section: its usage block runs as written, from the repository root,
and the package ships its type stubs."""

import ast
import inspect
import os
import pathlib
import re

import ntm_rules
from conftest import ROOT


def readme_python_block():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n### Python\n", 1)[1].split("\n### ", 1)[0]
    [block] = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return block


def test_readme_python_usage_block_runs(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    exec(compile(readme_python_block(), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "'verdict'" in out and "met" in out


def test_type_stubs_and_py_typed_are_installed_and_cover_the_module():
    package = pathlib.Path(ntm_rules.__file__).parent
    assert (package / "py.typed").exists()
    stub = ast.parse((package / "_native.pyi").read_text(encoding="utf-8"))
    stubbed = {n.name for n in stub.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    stubbed |= {t.target.id for t in stub.body if isinstance(t, ast.AnnAssign)}
    public = {n for n in dir(ntm_rules._native) if not n.startswith("__") or n == "__version__"}
    assert public <= stubbed | {"__version__"}, public - stubbed
    methods = {n.name for n in stub.body if isinstance(n, ast.ClassDef)
               for n in n.body if isinstance(n, ast.FunctionDef)}
    runtime = {n for n in dir(ntm_rules.Evaluator) if not n.startswith("_")}
    assert runtime <= methods, runtime - methods


def test_every_public_name_is_documented():
    for name in ntm_rules.__all__:
        obj = getattr(ntm_rules, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), name
