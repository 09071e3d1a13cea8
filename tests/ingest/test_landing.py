"""Reading the landing folder: formats, bad lines kept and marked, arrival times, line numbers."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import polars as pl
import pytest

from orchestration.ingest.landing import RAW_SCHEMA, scan_landing
from tests.ingest.kit import event, write_jsonl


def raw_rows(root) -> list[dict]:
    return scan_landing(root).collect().sort("source_file", "source_line").to_dicts()


def test_jsonl_lines_are_kept_whole_and_numbered(tmp_path):
    write_jsonl(
        tmp_path,
        "2026-10-05/a.jsonl",
        [
            event("e-1", customer=42, properties={"b": 1.50, "a": "x"}),
            "",
            "  ",
            "{broken",
            '{"event_id": "e-2", "properties": {"deep": {"x": 1}}}\r',
        ],
    )
    rows = raw_rows(tmp_path)
    # Lines 2 and 3 are blank: no record, but the numbering still counts them.
    assert [r["source_line"] for r in rows] == [1, 4, 5]
    first, broken, nested = rows
    assert (first["event_id"], first["customer_id"], first["event_type"]) == ("e-1", "42", "api_call")
    assert first["properties_raw"] == '{"b": 1.5, "a": "x"}'  # json.dumps wrote 1.5; kept as written
    assert first["event_at_raw"] == "2026-10-05T12:00:00Z"
    assert not first["is_malformed"]
    assert broken["is_malformed"] and broken["malformed_detail"] == "line is not valid JSON"
    assert not nested["is_malformed"] and nested["customer_id"] is None
    assert nested["properties_raw"] == '{"deep":{"x":1}}'  # not flat: re-printed by the parser
    assert scan_landing(tmp_path).collect_schema() == RAW_SCHEMA


def test_properties_keep_numbers_as_written(tmp_path):
    write_jsonl(tmp_path, "2026-10-05/a.jsonl", ['{"event_id":"e","properties":{"hours": 1.50, "n": 1e3}}'])
    assert raw_rows(tmp_path)[0]["properties_raw"] == '{"hours": 1.50, "n": 1e3}'


def test_arrival_from_received_at_then_folder_then_mtime(tmp_path):
    write_jsonl(tmp_path, "2026-10-05/a.jsonl", [event("e-1"), event("e-2", received_at="2026-10-05T08:30:00+02:00")])
    write_jsonl(tmp_path, "feed/arrived=2026-10-06/b.jsonl", [event("e-3")])
    write_jsonl(tmp_path, "loose/2026-13-40/c.ndjson", [event("e-4")])
    os.utime(tmp_path / "loose/2026-13-40/c.ndjson", (1_791_000_000, 1_791_000_000))
    arrived = {r["event_id"]: r["arrived_at"] for r in raw_rows(tmp_path)}
    assert arrived == {
        "e-1": datetime(2026, 10, 6, tzinfo=UTC),  # the end of the folder's day
        "e-2": datetime(2026, 10, 5, 6, 30, tzinfo=UTC),  # its own received_at, in UTC
        "e-3": datetime(2026, 10, 7, tzinfo=UTC),
        "e-4": datetime.fromtimestamp(1_791_000_000, UTC),  # 2026-13-40 is no date: the mtime
    }


def test_which_files_are_read(tmp_path):
    write_jsonl(tmp_path, "2026-10-05/a.JSONL", [event("e-1")])
    write_jsonl(tmp_path, "2026-10-05/.uploading.jsonl", [event("e-2")])
    write_jsonl(tmp_path, ".staging/2026-10-05/b.jsonl", [event("e-3")])
    write_jsonl(tmp_path, "2026-10-manifest.json", [event("e-4")])
    assert [r["event_id"] for r in raw_rows(tmp_path)] == ["e-1"]


def test_csv_columns_by_header_and_ragged_rows(tmp_path):
    (tmp_path / "2026-10-05").mkdir()
    (tmp_path / "2026-10-05/a.csv").write_text(
        "Event_ID,event_type,customer_id,event_at,properties,received_at\n"
        'c-1,api_call,globex,2026-10-05T01:00:00Z,"{""endpoint"":""/v1""}",2026-10-05T02:00:00Z\n'
        "\n"
        "c-2,api_call,globex\n"
        "c-3,api_call,globex,2026-10-05T01:00:00Z,{},2026-10-05T02:00:00Z,extra\n"
    )
    rows = raw_rows(tmp_path)
    # The header is line 1; the blank line 3 is skipped.
    assert [(r["event_id"], r["source_line"], r["is_malformed"]) for r in rows] == [
        ("c-1", 2, False),
        ("c-2", 4, False),
        ("c-3", 5, True),
    ]
    assert rows[0]["properties_raw"] == '{"endpoint":"/v1"}'
    assert rows[0]["arrived_at"] == datetime(2026, 10, 5, 2, tzinfo=UTC)
    assert rows[1]["event_at_raw"] is None and rows[1]["properties_raw"] is None


def test_parquet_typed_timestamps_and_struct_properties(tmp_path):
    (tmp_path / "2026-10-05").mkdir()
    pl.DataFrame(
        {
            "event_id": [1, 2],
            "customer_id": ["acme", "acme"],
            "event_type": ["compute_usage", "compute_usage"],
            "event_at": [datetime(2026, 10, 5, 10), None],  # no zone: taken as UTC
            "properties": [{"hours": 1.25, "host": "w-1"}, {"hours": None, "host": "w-2"}],
        }
    ).write_parquet(tmp_path / "2026-10-05/a.parquet")
    rows = raw_rows(tmp_path)
    assert [r["event_id"] for r in rows] == ["1", "2"]
    assert rows[0]["event_at_ts"] == datetime(2026, 10, 5, 10, tzinfo=UTC)
    assert rows[0]["event_at_raw"] is None
    # Keys sorted; an absent (null) field is left out rather than sent as null.
    assert [r["properties_raw"] for r in rows] == ['{"host":"w-1","hours":1.25}', '{"host":"w-2"}']


def test_parquet_zoned_timestamps_become_utc(tmp_path):
    (tmp_path / "2026-10-05").mkdir()
    at = pl.Series([datetime(2026, 10, 5, 12)]).dt.replace_time_zone("Europe/Berlin")  # UTC+2 in October
    pl.DataFrame({"event_id": ["p"], "event_at": at}).write_parquet(tmp_path / "2026-10-05/a.parquet")
    assert raw_rows(tmp_path)[0]["event_at_ts"] == datetime(2026, 10, 5, 10, tzinfo=UTC)


def test_unreadable_parquet_is_one_malformed_row(tmp_path):
    (tmp_path / "2026-10-05").mkdir()
    (tmp_path / "2026-10-05/broken.parquet").write_bytes(b"PAR1 this is not parquet")
    (row,) = raw_rows(tmp_path)
    assert (row["source_file"], row["source_line"], row["is_malformed"]) == ("2026-10-05/broken.parquet", 0, True)
    assert row["malformed_detail"].startswith("file could not be read as Parquet")


def test_empty_landing_folder_and_missing_folder(tmp_path):
    assert scan_landing(tmp_path).collect().height == 0
    with pytest.raises(FileNotFoundError, match="does not exist"):
        scan_landing(tmp_path / "nope")
