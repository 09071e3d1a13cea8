"""JSON Schema of the contract files, generated from the pydantic models and committed under
`contracts/schema/` so editors (yaml-language-server) complete and check the YAML as it is typed.

Regenerate after changing a model:  python -m orchestration.domain.contracts.schema
Check without writing (CI):          python -m orchestration.domain.contracts.schema --check
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from orchestration.domain.contracts.contract import Contract
from orchestration.domain.contracts.rate_card import RateCard

SCHEMA_FILES = {"rate_card.schema.json": RateCard, "contract.schema.json": Contract}
DEFAULT_DIR = Path(__file__).resolve().parents[3] / "contracts" / "schema"
REGENERATE = "python -m orchestration.domain.contracts.schema"


def generate() -> dict[str, str]:
    """File name -> schema text, exactly as committed (sorted keys, trailing newline)."""
    out = {}
    for name, model in SCHEMA_FILES.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": f"Generated from orchestration.domain.contracts; regenerate with `{REGENERATE}`.",
            **model.model_json_schema(by_alias=True, mode="validation"),
        }
        out[name] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out


def stale_files(directory: Path = DEFAULT_DIR) -> list[str]:
    """Schema files that are missing or differ from what the models generate."""
    stale = []
    for name, text in generate().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale


def write(directory: Path = DEFAULT_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the JSON Schema of rate cards and contracts.")
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="folder (default: contracts/schema)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed files are stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files(args.out)
        for name in stale:
            print(f"stale: {args.out / name}; regenerate with `{REGENERATE}`")
        return 1 if stale else 0
    for path in write(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
