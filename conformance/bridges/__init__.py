"""Bridges from the kit to real frameworks. Each bridge is optional and imported lazily.

``conformance.bridges.dagster`` builds real ``dagster.OutputContext`` / ``dagster.InputContext``
objects (needs the ``dagster`` extra); ``conformance.bridges.dagster_subjects`` wraps Dagster's
built-in IO managers as kit :class:`~conformance.subject.Subject` objects.
"""
