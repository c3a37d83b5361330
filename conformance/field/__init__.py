"""Field trial: published IO managers as kit subjects, and the matrix that runs them.

``conformance.field.subjects`` builds the targets (dagster-aws, dagster-duckdb-pandas,
dagster-polars, dagster-deltalake-polars), ``conformance.field.matrix`` runs them through the
Dagster bridge and renders ``docs/FIELD.md``. Importing a submodule needs the ``field`` extra.
"""
