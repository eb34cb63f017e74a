"""Command line (`flask --app survey_app ...`); names fixed by architecture.md."""
from flask import Flask


def register(app: Flask) -> None:
    from . import bench, campaigns, database, nlp, report, units, users

    for module in (database, units, campaigns, users, report, nlp, bench):
        module.register(app)
