"""The report: charts and tables from tidy frames, the processed tables and their data
package, and the build that executes the notebooks and renders HTML and PDF."""
