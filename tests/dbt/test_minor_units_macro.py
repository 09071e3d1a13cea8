"""The SQL minor-units table (dbt_project/macros/money.sql) must match the Python one, or SQL and
the domain would round the same currency differently."""

from __future__ import annotations

import re

from orchestration.domain.money import MINOR_UNITS
from tests.dbt.harness import DBT_DIR


def sql_minor_units() -> dict[str, int]:
    text = (DBT_DIR / "macros" / "money.sql").read_text()
    body = text[text.index("{% macro minor_units(currency)") :]
    body = body[: body.index("{%- endmacro %}")]
    table = {code: int(units) for code, units in re.findall(r"when '([A-Z]{3})' then (\d)", body)}
    loop = re.search(r"for code in \[([^\]]*)\] %\}\s*when '\{\{ code \}\}' then (\d)", body)
    assert loop, "minor_units macro no longer has the two-decimal loop this test reads"
    table.update(dict.fromkeys(re.findall(r"'([A-Z]{3})'", loop.group(1)), int(loop.group(2))))
    return table


def test_sql_and_python_minor_units_agree():
    assert sql_minor_units() == MINOR_UNITS
