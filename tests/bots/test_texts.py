"""Every sentence the bot can say has its English translation, with the same placeholders."""
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bots import texts

ROOT = Path(__file__).resolve().parents[2]


def test_every_bot_string_is_translated_into_english():
    with open(ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = {m.id: m for m in read_po(f, locale="en") if m.id}
    found = [message for _f, _l, message, _c, _x in extract_from_dir(str(ROOT / "bots"), [("**.py", "python")])]
    assert found
    for message in found:
        entry = catalogue.get(message)
        assert entry is not None and entry.string and not entry.fuzzy, message
        assert set(re.findall(r"%\((\w+)\)s", entry.string)) == set(re.findall(r"%\((\w+)\)s", message))


def test_the_english_catalogue_speaks_english():
    _ = texts.gettext_for("en")
    assert texts.stale(_) == "This button is out of date and no longer works."
    assert texts.question(_, 3, 11, "Roads?") == "Question 3/11. Roads?"
