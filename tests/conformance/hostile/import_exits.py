"""A target module that exits while it is imported."""

import os

os._exit(4)
