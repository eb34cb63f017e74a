"""One vocabulary: the app names exactly the classifier's fields, every channel once, in both languages."""
from __future__ import annotations

from flask_babel import force_locale

from nlp import LABEL_NAMES_VI, LABELS, NEEDS_REVIEW
from survey_app import vocabulary
from survey_app.models import Channel


def test_field_names_are_the_classifiers_labels_with_the_same_vietnamese_names(app):
    assert vocabulary.LABELS == LABELS and vocabulary.NEEDS_REVIEW == NEEDS_REVIEW
    assert set(vocabulary.FIELD_NAMES) == set(LABELS) | {NEEDS_REVIEW}
    with app.app_context(), force_locale("vi"):
        assert {key: str(vocabulary.FIELD_NAMES[key]) for key in LABELS} == LABEL_NAMES_VI


def test_a_channel_has_one_name_capitalised_when_it_stands_alone(app):
    assert set(vocabulary.CHANNEL_NAMES) == set(Channel.ALL)
    with app.app_context():
        with force_locale("vi"):
            assert vocabulary.channel_name("web") == "trang web" and str(vocabulary.CHANNEL_NAMES["web"]) == "Trang web"
        with force_locale("en"):
            assert vocabulary.channel_name("paper") == "paper form"
            assert str(vocabulary.CHANNEL_NAMES["paper"]) == "Paper form"
    assert vocabulary.channel_name("rehearsal") == "rehearsal" and vocabulary.channel_name(None) == ""
