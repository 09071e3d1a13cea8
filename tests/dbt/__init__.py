"""Tests of the dbt project: a hand-made lake closed through `dbt build` into a temporary warehouse."""
