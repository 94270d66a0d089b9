"""The committed notebooks: thin, parameterised, without outputs, on the python3 kernel."""

from __future__ import annotations

import ast

import nbformat
import pytest

from newsfigures.core import paths
from newsfigures.report.build import notebook_parameters

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_there_are_report_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert {"01_force_sizes.ipynb", "02_brics_shares.ipynb", "03_context.ipynb"} <= set(names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "commit notebooks without outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_thin_and_parameterised(path):
    nb = nbformat.read(path, as_version=4)
    assert "sheet" in notebook_parameters(path)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    tree = ast.parse(code)
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While))], (
        "logic belongs in src/newsfigures, not in notebooks"
    )
    assert "from newsfigures" in code
    assert any(c.cell_type == "markdown" for c in nb.cells)
