"""The dbt project as Dagster assets: marts built per billing month in the DuckDB warehouse."""
