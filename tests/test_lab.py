"""The Lab's pre-save hook: notebooks under notebooks/ are saved without outputs."""

from __future__ import annotations

import json
from types import SimpleNamespace

import nbformat

from newsfigures.core import paths
from newsfigures.report.lab import strip_outputs_hook


def _executed() -> dict:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(3000)")
    cell.execution_count = 4
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="3000\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("## Prose"), cell]
    nb.metadata["papermill"] = {"duration": 1.0}
    return json.loads(nbformat.writes(nb))


def test_a_project_notebook_is_saved_without_outputs():
    model = {"type": "notebook", "content": _executed()}
    strip_outputs_hook(model, "01_force_sizes.ipynb", SimpleNamespace(root_dir=str(paths.NOTEBOOKS_DIR)))
    code = model["content"]["cells"][1]
    assert code["outputs"] == [] and code["execution_count"] is None and "".join(code["source"]) == "print(3000)"
    assert "".join(model["content"]["cells"][0]["source"]) == "## Prose"
    assert "papermill" not in model["content"]["metadata"]


def test_notebooks_elsewhere_and_other_files_are_saved_as_they_are(tmp_path):
    model = {"type": "notebook", "content": _executed()}
    strip_outputs_hook(model, "scratch.ipynb", SimpleNamespace(root_dir=str(tmp_path)))
    assert "".join(model["content"]["cells"][1]["outputs"][0]["text"]) == "3000\n"
    text = {"type": "file", "content": "x"}
    strip_outputs_hook(text, "notes.txt", SimpleNamespace(root_dir=str(paths.NOTEBOOKS_DIR)))
    assert text == {"type": "file", "content": "x"}


def test_the_committed_notebooks_have_no_outputs():
    for path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        nb = json.loads(path.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code), path.name


def test_the_labs_config_strips_a_project_notebook_on_save_without_a_warning():
    import warnings

    from traitlets.config import Config

    config = Config()
    code = (paths.ROOT / "jupyter_server_config.py").read_text()
    exec(compile(code, "jupyter_server_config.py", "exec"), {"get_config": lambda: config})
    manager_class = config.ServerApp.contents_manager_class
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # jupyter_server warns when a pre_save_hook setting is applied twice
        manager = manager_class(root_dir=str(paths.NOTEBOOKS_DIR))
        model = {"type": "notebook", "content": _executed()}
        manager.run_pre_save_hooks(model=model, path="01_force_sizes.ipynb")
    assert model["content"]["cells"][1]["outputs"] == []
