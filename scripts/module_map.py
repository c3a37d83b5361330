"""Regenerate the module map of docs/ARCHITECTURE.md: ``python scripts/module_map.py --write``.

``--check`` exits 1 when the map is stale; see :mod:`tests.house.module_map`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.house.module_map import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
