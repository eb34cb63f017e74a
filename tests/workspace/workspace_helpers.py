"""Helpers for staff tests: sign in and post staff forms with a real CSRF token."""
from __future__ import annotations

import re

PASSWORD = "mat-khau-dai-123"


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def sign_in(client, username: str, password: str = PASSWORD, next_url: str = ""):
    page = client.get("/staff/login" + next_url).get_data(as_text=True)
    return client.post("/staff/login" + next_url,
                       data={"csrf_token": csrf_of(page), "username": username, "password": password})


def post(client, url: str, data: dict, page_url: str = "/staff/password"):
    """POST a staff form with a real CSRF token taken from a page."""
    token = csrf_of(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})
