"""Errors of the storage layer; their messages are Spanish and reach people as they are."""

from __future__ import annotations


class ConflictError(Exception):
    """A write lost a race or broke a uniqueness rule; the message is Spanish."""


class StoredValueError(Exception):
    """The database refused a value it cannot hold (a NUL character, a number out of
    range); the message is Spanish."""
