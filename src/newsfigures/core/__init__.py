"""The data model every other part builds on: figures and their sheet, qualifiers, the
articles figures come from, errors, paths and atomic file I/O. Imports nothing else of
newsfigures and, at import, nothing heavy."""
