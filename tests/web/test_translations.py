"""Every string a resident or officer can see is in the catalogue and translated into English."""
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def source_messages() -> set:
    """What `pybabel extract -F babel.cfg -k _l` finds now (strings added since the last extract too)."""
    method_map = [("survey_app/**.py", "python"), ("survey_app/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, keywords=keywords):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def english():
    with open(ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale="en")


def test_every_string_in_the_code_has_an_english_translation():
    catalogue = english()
    translated = {m.id for m in catalogue if m.id and m.string and (not isinstance(m.string, tuple) or all(m.string))
                  and not m.fuzzy}
    missing = sorted(str(m) for m in source_messages() - translated)
    assert not missing, "run pybabel extract/update (see translations/README.md) and translate:\n" + "\n".join(missing)


def test_translations_keep_every_placeholder():
    for message in english():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(ids[0])), message.id
