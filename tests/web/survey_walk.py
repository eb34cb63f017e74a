"""Walk the web survey as a browser without JavaScript would: GET a step, POST its form."""
from __future__ import annotations

import re

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_of(html: str) -> str:
    return CSRF.search(html).group(1)


class Walker:
    """A resident's browser without JavaScript: GET a step, POST its form with the page's CSRF token."""

    def __init__(self, client, base: str):
        self.client, self.base = client, base

    def get(self, path: str = "", **kw):
        return self.client.get(self.base + path, **kw)

    def post(self, path: str, data: dict, **kw):
        page = self.client.get(self.base + path)
        return self.client.post(self.base + path, data={"csrf_token": csrf_of(page.text), **data}, **kw)

    def question_ids(self, page: int) -> list[int]:
        html = self.get(f"/trang/{page}").text
        return [int(q) for q in dict.fromkeys(re.findall(r'name="q(\d+)"', html))]

    def answer_all(self, pages: int, no: dict[int, str] | None = None, other: str = ""):
        """Answer every page ("Hài lòng" unless the question id is in `no`, with its reason), then review."""
        no = no or {}
        for n in range(1, pages + 1):
            data = {"go": "next"}
            for qid in self.question_ids(n):
                data[f"q{qid}"] = "no" if qid in no else "yes"
                data[f"r{qid}"] = no.get(qid, "")
            assert self.post(f"/trang/{n}", data).status_code == 302
        assert self.post("/y-kien-khac", {"go": "next", "other": other}).status_code == 302

    def send(self, **kw):
        review = self.get("/xem-lai")
        key = re.search(r'name="submission_key" value="([^"]+)"', review.text).group(1)
        return self.client.post(self.base + "/gui", data={"csrf_token": csrf_of(review.text),
                                                          "submission_key": key}, **kw), key
