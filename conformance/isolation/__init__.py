"""Isolated execution: every check runs in a worker process, never in the kit's own process.

:mod:`~conformance.isolation.frames` carries pickled messages over pipes,
:mod:`~conformance.isolation.calls` tells the kit which manager call is in flight,
:mod:`~conformance.isolation.worker` is the worker's main loop and
:mod:`~conformance.isolation.pool` starts, watches, times out and restarts workers.
"""
