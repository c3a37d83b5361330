"""Regenerate the typing conformance results: ``python scripts/typing_conformance.py --write``.

The same as ``python -m tests.spec.typing_suite``; see that module.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.spec.typing_suite import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
