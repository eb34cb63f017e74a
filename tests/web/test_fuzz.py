"""Property-based fuzzing of every resident form and path (hypothesis), on SQLite and PostgreSQL.

Each example is one resident (a fresh invitation code, or a fresh browser in open mode) doing a random
sequence of steps with random text — NUL bytes, control characters, combining marks, 2,000+ characters,
tampered answers and buttons, odd paths. Properties: no answer is ever a 5xx, and the server's draft holds
exactly what the last save of each page said (nothing lost, nothing unsafe stored). Bounded: a few dozen
examples per backend, a few seconds each run.
"""
from urllib.parse import quote

import pytest
from helpers import campaign_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from survey_walk import csrf_of

from survey_app.extensions import db
from survey_app.models import CampaignMode, Response
from survey_app.services.survey.drafts import load_draft
from survey_app.services.survey.flow import target_for_campaign, target_for_code
from survey_app.services.survey.responses import MAX_TEXT, clean_text
from survey_app.services.units.catalogue import hamlets_of
from survey_app.text import clean_multiline
from survey_app.views.pages import pages_of

ODD = "\x00\x01\x07\x1b\x7f\u0085\u200b\u202e\ufeff\r\n\t\u0301\u031b"
TEXT = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
    st.text(alphabet=st.sampled_from("aăâđêôơư ờ́ K7QM" + ODD), max_size=40),
    st.integers(1990, 2600).map(lambda n: "x\x00" * (n // 2)),
)
ANSWER = st.sampled_from(["yes", "no", "", "maybe", "yes\x00", "Hài lòng"])
GO = st.sampled_from(["next", "back", "save", "", "\x00", "gui"])
STEP = st.one_of(
    st.tuples(st.just("page"), st.integers(-1, 6), st.lists(st.tuples(ANSWER, TEXT), min_size=3, max_size=3), GO),
    st.tuples(st.just("other"), TEXT, GO),
    st.tuples(st.just("get"), st.sampled_from(["", "/trang/1", "/trang/0", "/trang/4", "/trang/99", "/y-kien-khac",
                                               "/xem-lai", "/cam-on", "/gui", "/trang/2147483648"])),
    st.tuples(st.just("send"), st.one_of(st.none(), TEXT)),
    st.tuples(st.just("path"), TEXT),
)
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class Resident:
    """One resident's browser and what the server's draft should now hold."""

    def __init__(self, app, base: str, target_of):
        self.app, self.base, self.target_of = app, base, target_of
        self.client = app.test_client()
        self.expected: dict[int, tuple[bool | None, str]] = {}
        self.sent = False
        self.saves = True  # open mode: only once a hamlet is chosen
        first = self.client.get(base).text  # open mode: the hamlet form; with a code: the first page's form
        self.token = csrf_of(first if "csrf_token" in first else self.client.get(base + "/trang/1").text)
        with app.app_context():
            target = target_of(self.client)
            self.pages = [[q.id for q in page] for page in pages_of(target)]

    def check(self, response):
        assert response.status_code < 500, (response.status_code, response.request.path)
        return response

    def post(self, path, data):
        return self.check(self.client.post(self.base + path, data={"csrf_token": self.token, **data}))

    def do(self, step):
        kind = step[0]
        if kind == "page":
            _, n, given_answers, go = step
            data = {"go": go}
            ids = self.pages[n - 1] if 1 <= n <= len(self.pages) else [1, 2, 3]
            for qid, (answer, reason) in zip(ids, given_answers, strict=False):
                data[f"q{qid}"], data[f"r{qid}"] = answer, reason
            self.post(f"/trang/{n}", data)
            if 1 <= n <= len(self.pages) and self.saves and not self.sent:
                for qid, (answer, reason) in zip(ids, given_answers, strict=False):
                    satisfied = {"yes": True, "no": False}.get(answer)
                    self.expected[qid] = (satisfied, clean_text(clean_multiline(reason)[:MAX_TEXT]) or "")
        elif kind == "other":
            self.post("/y-kien-khac", {"other": step[1], "go": step[2]})
        elif kind == "get":
            self.check(self.client.get(self.base + step[1]))
        elif kind == "send":
            data = {} if step[1] is None else {"submission_key": step[1]}
            self.post("/gui", data)
        else:
            self.check(self.client.get(self.base + "/" + quote(step[1], safe="")))
            self.check(self.client.get("/s/" + quote(step[1], safe="") + "/trang/1"))
        self.sent = self.sent or self.has_sent()

    def has_sent(self) -> bool:
        with self.app.app_context():
            return bool(db.session.execute(select(func.count(Response.id))).scalar_one() > self.responses_before)

    def draft_matches(self):
        if self.sent:
            return
        with self.app.app_context():
            draft = load_draft(self.target_of(self.client))
        for qid, (satisfied, reason) in self.expected.items():
            assert draft.satisfied(qid) is satisfied and draft.reason(qid) == reason, qid
            assert not any(ch in draft.reason(qid) for ch in "\x00\x01\x07\x1b\x7f\u202e")


def run(resident, steps):
    with resident.app.app_context():
        resident.responses_before = db.session.execute(select(func.count(Response.id))).scalar_one()
    for step in steps:
        resident.do(step)
        resident.draft_matches()


@pytest.fixture
def many_codes(app):
    """A demo commune with enough households for every example (and hypothesis's shrinking) to get its own."""
    from survey_app.devdata.demo import seed_demo

    with app.app_context():
        return seed_demo(households=200)["codes"]


def test_no_household_step_ever_answers_5xx_or_loses_the_draft(app, many_codes):
    codes = iter(many_codes)

    @SETTINGS
    @given(st.lists(STEP, min_size=1, max_size=7))
    def resident_does(steps):
        code = next(codes)
        run(Resident(app, "/s/" + code, lambda client: target_for_code(code)), steps)

    resident_does()


def test_no_open_mode_step_ever_answers_5xx_or_loses_the_draft(app, demo):
    from survey_app.views.open_survey import COOKIE, _serializer

    with app.app_context():
        campaign = campaign_of(demo)
        campaign.mode = CampaignMode.OPEN
        db.session.commit()
        slug, hamlet_id = campaign.slug, hamlets_of(campaign.commune)[0].id

    def target_of(client):
        with app.test_request_context():
            token = _serializer().loads(client.get_cookie(COOKIE, path="/c/").value)
        return target_for_campaign(slug, token)

    @SETTINGS
    @given(st.one_of(st.just(str(hamlet_id)), TEXT), st.lists(STEP, min_size=1, max_size=6))
    def resident_does(hamlet, steps):
        resident = Resident(app, f"/c/{slug}", target_of)
        resident.post("", {"hamlet": hamlet})
        resident.saves = hamlet == str(hamlet_id)
        run(resident, steps)

    resident_does()


@pytest.fixture(autouse=True)
def _generous_limits(app):
    """Fuzzing is one client making many requests: keep the per-client rate limits out of the way."""
    app.config.update(RATELIMIT_CODE_GUESSES=(10**6, 600), RATELIMIT_OPEN_SUBMISSIONS=(10**6, 3600))



QUERY_KEYS = ["q", "field", "status", "hamlet", "channel", "source", "sort", "from", "to", "overdue", "page",
              "action", "user", "unused", "next", "lang", "ids"]
ODD_VALUES = ["\x00", "x\x00y", "2147483648", "-2147483649", "99999999999999999999999", "9999-12-31", "0001-01-01"]
QUERY_VALUE = st.one_of(
    st.sampled_from(ODD_VALUES + ["0", "-1", "2026-02-30", " 7 ", "1_0", "\u0663", "", "review", "1", "new"]),
    st.integers(-(2**70), 2**70).map(str),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12),
)


def staff_urls(app, ids) -> list[str]:
    """Every GET route under /staff and /api, with the demo's campaign, a feedback and the province."""
    values = {"campaign_id": ids["campaign_id"], "feedback_id": ids["feedback_id"], "code": ids["code"]}
    routes = sorted(rule.rule for rule in app.url_map.iter_rules()
                    if "GET" in rule.methods and rule.rule.startswith(("/staff", "/api")))
    assert len(routes) > 15
    return [route.replace("<int:", "<").replace("<", "{").replace(">", "}").format_map(values) for route in routes]


def opens_below_500(client, url, query):
    response = client.get(url, query_string=query)
    assert response.status_code < 500, (url, query, response.status_code)
    response.get_data()  # a download streams: it must not fail half-way either


@pytest.mark.parametrize("odd", ODD_VALUES)
def test_no_staff_page_answers_5xx_with_every_query_value_odd(app, client, admin, odd):
    """Signed in as an admin (who may open every page), each page with every known parameter set to `odd`."""
    for url in staff_urls(app, admin):
        opens_below_500(client, url, dict.fromkeys(QUERY_KEYS, odd))


def test_no_staff_page_answers_5xx_whatever_its_query_string(app, client, admin):
    urls = staff_urls(app, admin)

    @SETTINGS
    @given(st.sampled_from(urls), st.dictionaries(st.sampled_from(QUERY_KEYS), QUERY_VALUE, max_size=4))
    def officer_opens(url, query):
        opens_below_500(client, url, query)

    officer_opens()
