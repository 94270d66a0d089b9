# JupyterLab settings for this project, passed by `make lab` with --config.
# Notebooks under notebooks/ are saved without outputs or execution counts, so that the
# committed notebooks hold only what their authors wrote (newsfigures.report.lab).
from newsfigures.report.lab import stripping_contents_manager

c = get_config()  # noqa: F821 (defined by Jupyter when it loads this file)
c.ServerApp.contents_manager_class = stripping_contents_manager()
