"""The committed JSON Schema is exactly what the models generate."""

from __future__ import annotations

from conftest import SAMPLE_ROOT

from orchestration.domain.contracts import schema


def test_committed_schema_matches_the_models():
    stale = schema.stale_files(SAMPLE_ROOT / "schema")
    assert stale == [], f"contracts/schema/{', '.join(stale)} out of date; regenerate with `{schema.REGENERATE}`"


def test_check_mode_flags_a_stale_file(tmp_path, capsys):
    schema.write(tmp_path)
    assert schema.main(["--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "contract.schema.json").write_text("{}\n")
    assert schema.main(["--check", "--out", str(tmp_path)]) == 1
    assert "python -m orchestration.domain.contracts.schema" in capsys.readouterr().out


def test_schema_describes_the_yaml_spelling():
    generated = schema.generate()
    assert '"in": {' in generated["rate_card.schema.json"]  # the filter key, not the Python name in_
    assert '"additionalProperties": false' in generated["contract.schema.json"]
