"""List the corpus by family: ``cd tests && python -m corpus``."""

from __future__ import annotations

from corpus.shapes import by_family

if __name__ == "__main__":
    for family, shapes in by_family().items():
        print(f"\n{family} ({len(shapes)})")
        for s in shapes:
            print(f"  {s.name}: {s.doc}")
