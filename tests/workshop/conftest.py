"""A tiny client folder for the workshop tests: two fuzzy duplicate pairs, one client billed
by two sellers, prospects with an extra column, and tight limits so refusals are reachable."""

from __future__ import annotations

from pathlib import Path

import pytest

LEDGER = [
    ("2025-01-10", "Harlow Harbor Pet Hospital", "Ann Lee", "9000.00"),
    ("2025-02-10", "Harlow Harbor Pet Hoospital", "Ann Lee", "1000.00"),
    ("2025-01-12", "Maddox Canyon Hardware", "Ben Ode", "8000.00"),
    ("2025-03-12", "Maddox Canyon Hardwware", "Ben Ode", "500.00"),
    ("2025-01-15", "Stone Bridge Dealership", "Ann Lee", "6000.00"),
    ("2025-04-15", "Stone Bridge Dealership", "Ben Ode", "3000.00"),
    ("2025-02-01", "Finch Pizza", "Ben Ode", "5000.00"),
    ("2025-02-02", "Iron Otter", "Ann Lee", "4000.00"),
    ("2025-02-03", "Sunset Pharmacy", "Ben Ode", "2000.00"),
    ("2025-02-04", "Green Bear", "Ann Lee", "1500.00"),
    ("2025-02-05", "Vance Bistro", "Ben Ode", "700.00"),
    ("2025-02-06", "Pine Cafe", "Ann Lee", "300.25"),
]

PROSPECTS = """\
Seller,Prospect,Category,Spending potential,Decision maker access,Product fit,Notes,Region
Ann Lee,New Horizon Labs,TARGET,4,5,3,Met the CMO,North
Ann Lee,Blue Lake Co,EXTRA,3,3,3,,South
Ann Lee,Red Rock Ltd,LEAD,,,,,
Ben Ode,Oak Tree Inc,TARGET,5,5,5,"Budget in Q3, ask again",East
"""

CLIENT_YML = """\
# Tiny client for the workshop tests.
client: Tiny Media
as_of: 2025-07-01
# the tiny ledger covers January - April 2025 only
accept: [short_window]

# Share of the spending clients that are KEY accounts.
# key_share: 0.25

billing:
  file: billing.csv
prospects:
  file: prospects.csv
limits:
  target: [1, 2]   # tight on purpose
  extra: [0, 2]
  lead: [0, 2]
"""


def write_client(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["Date,Customer,Sales Rep,Amount"] + [",".join(r) for r in LEDGER]
    (folder / "billing.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "prospects.csv").write_text(PROSPECTS, encoding="utf-8")
    (folder / "client.yml").write_text(CLIENT_YML, encoding="utf-8")
    return folder


@pytest.fixture
def client(tmp_path: Path) -> Path:
    return write_client(tmp_path / "tiny-media")
