"""JupyterLab integration: notebooks are saved without outputs.

``make lab`` starts JupyterLab with ``--config jupyter_server_config.py`` (at the
repository's root), which makes the server's contents manager one that registers
:func:`strip_outputs_hook` as a pre-save hook: a notebook saved from the Lab keeps its code and prose, and loses its
outputs and execution counts, so ``git diff`` shows only what its author wrote. The
build executes notebooks itself; outputs are build products (``reports/notebooks/``).
"""

from __future__ import annotations

from pathlib import Path

#: Folders whose notebooks are stripped when saved (relative to the repository root).
STRIPPED_FOLDERS = ("notebooks",)


def strip_outputs(nb: dict) -> dict:
    """Clear a notebook's outputs and execution counts, in place.

    Args:
        nb: a notebook as a dict (nbformat v4), as the contents manager hands it over.

    Returns:
        ``nb``, with every code cell's ``outputs`` emptied and ``execution_count`` set
        to None, and papermill's run metadata removed.
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            cell.get("metadata", {}).pop("execution", None)
    nb.get("metadata", {}).pop("papermill", None)
    return nb


def should_strip(path: str, root: str | Path) -> bool:
    """Whether the notebook at ``path`` (relative to the server's root, as Jupyter gives
    it) lies in one of :data:`STRIPPED_FOLDERS` of the repository at ``root``."""
    full = (Path(root) / path).resolve()
    repo = Path(__file__).resolve().parents[3]
    return any(full.is_relative_to(repo / folder) for folder in STRIPPED_FOLDERS)


def strip_outputs_hook(model: dict, path: str, contents_manager=None, **kwargs) -> None:
    """A Jupyter ``pre_save_hook``: strip notebooks under the project's notebook folders.

    Other files, and notebooks elsewhere, are saved as they are.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    root = getattr(contents_manager, "root_dir", ".") if contents_manager is not None else "."
    if should_strip(path, root):
        strip_outputs(model["content"])


def stripping_contents_manager() -> type:
    """Jupyter Server's default contents manager, with :func:`strip_outputs_hook`
    registered as a pre-save hook (``register_pre_save_hook``, its API for hooks; the
    ``pre_save_hook`` setting warns when the Lab applies the server's config again).

    Returns:
        A subclass of ``jupyter_server``'s ``AsyncLargeFileManager``.
    """
    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

    class StrippingContentsManager(AsyncLargeFileManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.register_pre_save_hook(strip_outputs_hook)

    return StrippingContentsManager
