"""A target module whose import raises."""

raise RuntimeError("this target cannot be imported: the database is unreachable")
