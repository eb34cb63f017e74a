"""Several fields in one message: two separate problems (the main one and a second, both kept for staff),
or a list of problems of many fields (for a person to sort out). Works on any classifier with
`predict_proba(texts)` and `labels`; the clauses and parts are scored by the same model as the whole."""
import re

from nlp.normalize import clean

CLAUSE_MIN = 0.9  # a clause counts as about a field when the model gives that field this much
# Where a resident starts a second problem: sentence ends, semicolons, "còn", "ngoài ra", "với lại" ...
_CLAUSE_RE = re.compile(r"[.;!?\n]+|,? *\b(?:còn|ngoài ra|ngoai ra|với lại|voi lai|thêm nữa|them nua|"
                        r"bên cạnh đó|ben canh do|mặt khác|mat khac|thứ hai|thu hai|một việc nữa|mot viec nua)\b",
                        re.IGNORECASE)
MAX_CLAUSES = 12
# A message that lists problems ("đường hư, nước đục, điện cúp, trộm chó"): its comma-separated parts.
_PART_RE = re.compile(r"[,.;!?\n]+")
SEVERAL_FIELDS = 3  # this many different fields in one message is for a person to sort out
MAX_PARTS = 8
LIST_ITEM_WORDS = 6  # a listed problem is short ("nước đục", "sổ đỏ chưa có"); longer parts tell a story


def _clear_fields(clf, pieces):
    """For each piece of text, the field it is clearly about (CLAUSE_MIN or more, not khac), else None."""
    fields = []
    for p in clf.predict_proba(pieces):
        best = int(p.argmax())
        fields.append(clf.labels[best] if p[best] >= CLAUSE_MIN and clf.labels[best] != "khac" else None)
    return fields


def two_problems(clf, text, top_label):
    """(main, other) when two clauses of the text are each clearly about a different field, one of them
    the text's top label, the first-mentioned as main; None for one complaint (a school word inside a
    complaint about a bridge stays inside it)."""
    clauses = [c for c in _CLAUSE_RE.split(clean(text)) if c and len(c.split()) >= 3][:MAX_CLAUSES]
    if len(clauses) < 2:
        return None
    found = {}
    for pos, label in enumerate(_clear_fields(clf, clauses)):
        if label is not None:
            found.setdefault(label, pos)
    if top_label not in found or len(found) < 2:
        return None
    other = min((label for label in found if label != top_label), key=found.get)
    return tuple(sorted((top_label, other), key=found.get))


def lists_several_problems(clf, text):
    """Whether the text lists problems of SEVERAL_FIELDS or more fields, one short part each (one label on
    the whole would hide all but one of them). The classifier asks only when the whole is not clearly about
    one field, and only short parts are read, so most texts cost no second look and the others little
    (UIT-VSFC latency, benchmarks/RESULTS.md)."""
    parts = [p for p in _PART_RE.split(clean(text)) if 2 <= len(p.split()) <= LIST_ITEM_WORDS][:MAX_PARTS]
    if len(parts) < SEVERAL_FIELDS:
        return False
    return len(set(_clear_fields(clf, parts)) - {None}) >= SEVERAL_FIELDS
