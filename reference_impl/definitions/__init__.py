"""Definitions of IO managers and input managers (see docs/ARCHITECTURE.md)."""
