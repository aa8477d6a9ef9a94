"""Golden outputs of `sheetkit run examples/shop`: read back, compare, regenerate.

Regenerate after an intended change, then review the diff of examples/expected/shop/:

    python -m tests.golden
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop"
GOLDEN = ROOT / "examples" / "expected" / "shop"
AS_OF = "2024-12-31"


def read_back(xlsx: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a written workbook as text, the way a user's script would read it."""
    return pd.read_excel(xlsx, sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")


def run_shop(out: Path) -> Path:
    from sheetkit.cli import cli

    result = CliRunner().invoke(cli, ["run", str(SHOP), "--out", str(out), "--as-of", AS_OF, "--quiet"])
    assert result.exit_code == 0, result.output
    return out / "cleaned.xlsx"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sheets = read_back(run_shop(Path(tmp)))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, frame in sheets.items():
        frame.to_csv(GOLDEN / f"{name}.csv", index=False, lineterminator="\n")
    print(f"wrote {len(sheets)} sheets to {GOLDEN}")


if __name__ == "__main__":
    main()
