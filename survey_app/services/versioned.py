"""`write_versioned`: save changed columns of a loaded row with one prebuilt UPDATE and its version check.

The chat webhook saves the conversation and the draft on every update. Through the ORM's unit of work
each of those flushes built, keyed and compiled an UPDATE and ran its bookkeeping: about a fifth of
the webhook's CPU (py-spy, benchmarks/RESULTS.md). This does the same write, with the same optimistic
lock (`version_id_col`), as a statement built once per table and set of columns.
"""
from __future__ import annotations

import functools

from sqlalchemy import bindparam, inspect, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models._common import utcnow


def write_versioned(row, **values) -> None:
    """Set these columns of `row` (persistent, with `version` and `updated_at` columns) in the database,
    only if its version is still the one loaded, and move the version on.

    Raises StaleDataError when another transaction changed the row first, as a flush would; callers
    retry as they do for the ORM. The loaded object gets the new values as committed (not dirty), so
    reading it later in the transaction sees what was written and a flush writes nothing twice.
    """
    state = inspect(row)
    if not state.persistent or state.modified:  # new or already changed through the ORM: let it flush
        for name, value in values.items():
            setattr(row, name, value)
        db.session.flush()
        return
    now = utcnow()
    params = {f"new_{name}": value for name, value in values.items()}
    params.update(row_id=row.id, old_version=row.version, now=now)
    written = db.session.execute(_statement(state.mapper.local_table, tuple(values)), params).rowcount
    if written != 1:
        raise StaleDataError(f"{state.mapper.local_table.name} {row.id} was changed by another transaction")
    for name, value in {**values, "version": row.version + 1, "updated_at": now}.items():
        set_committed_value(row, name, value)


@functools.cache
def _statement(table, names: tuple[str, ...]):
    return (update(table)
            .where(table.c.id == bindparam("row_id"), table.c.version == bindparam("old_version"))
            .values({**{name: bindparam(f"new_{name}") for name in names},
                     "version": table.c.version + 1, "updated_at": bindparam("now")}))
