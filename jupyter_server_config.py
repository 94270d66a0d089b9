# JupyterLab settings for this project, passed by `make lab` with --config.
# Notebooks under notebooks/ are saved without outputs or execution counts, so that the
# committed notebooks hold only what their authors wrote (newsfigures.report.lab).
from newsfigures.report.lab import strip_outputs_hook

c = get_config()  # noqa: F821 (defined by Jupyter when it loads this file)
c.ContentsManager.pre_save_hook = strip_outputs_hook
