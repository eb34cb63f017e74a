"""Command line (`flask --app survey_app ...`); names fixed by architecture.md."""
from flask import Flask

from . import bench, campaigns, database, nlp, report, units, users


def register(app: Flask) -> None:
    for module in (database, units, campaigns, users, report, nlp, bench):
        module.register(app)
