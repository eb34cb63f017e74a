"""Generated data for the report tests: the bench province, small, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest


@pytest.fixture
def bench(app):
    """`bench seed` with 1,200 households (2 communes, two campaigns each, two merged former communes)."""
    from survey_app.devdata.bench import seed_bench

    with app.app_context():
        return seed_bench(1200)


@pytest.fixture
def staff_client(app, client):
    """A client signed in as an admin."""
    from survey_app.services.staff.users import create_or_reset_user

    with app.app_context():
        _, password = create_or_reset_user("reporter", role="admin", unit=None, full_name="Admin")
    page = client.get("/staff/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/staff/login", data={"username": "reporter", "password": password, "csrf_token": token})
    assert response.status_code == 302
    return client
