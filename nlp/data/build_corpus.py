"""Build train.tsv / dev.tsv / test.tsv from templates/ and handwritten/ (seeded, reproducible).

    python -m nlp.data.build_corpus            # rewrites the three TSVs and prints the statistics

Every label-specific piece (a template problem, effect, request or short mention, and every
hand-written sentence) is a *family* assigned to exactly one split before anything is generated,
so a held-out example never shares a problem phrase or a hand-written sentence with training.
Exact duplicates (on the accentless normal form) are dropped everywhere and held-out examples
too similar to any training example (char n-gram cosine >= NEAR_DUP) are dropped as well.
"""
import hashlib
import random
import sys
from collections import Counter
from pathlib import Path

from nlp import LABELS
from nlp.data import augment
from nlp.data.fragments import CLOSERS, DURATIONS, JOINERS, KHAC_CLOSERS, KHAC_OPENERS, MIX_JOINERS, OPENERS, PLACES
from nlp.normalize import accentless, strip_diacritics

HERE = Path(__file__).resolve().parent
SPLITS = ("train", "dev", "test")
SHARES = (0.70, 0.15, 0.15)
SEED = 20240603
PER_PROBLEM = {"khac": 12}
DEFAULT_PER_PROBLEM = 8
NEAR_DUP = 0.8


def read_sections(path):
    sections, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("## "):
            current = sections.setdefault(line[3:], [])
        elif line and current is not None:
            current.append(line)
    return sections


def assign(items, salt):
    """Deterministic family split: order by hash, then cut 70/15/15 (each split non-empty if n >= 3)."""
    ordered = sorted(items, key=lambda s: hashlib.sha1(f"{salt}|{s}".encode()).hexdigest())
    n = len(ordered)
    n_dev = max(1, round(n * SHARES[1])) if n >= 3 else 0
    n_test = max(1, round(n * SHARES[2])) if n >= 3 else 0
    n_train = n - n_dev - n_test
    return {"train": ordered[:n_train], "dev": ordered[n_train:n_train + n_dev],
            "test": ordered[n_train + n_dev:]}


def fill(text, rng, place):
    return text.replace("{place}", place).replace("{dur}", rng.choice(DURATIONS))


def compose(label, problem, pools, shorts, rng):
    """One template message: opener, problem, effect, request, closer, maybe a second topic."""
    region = rng.choice(list(PLACES))
    place = rng.choice(PLACES[region])
    mood = rng.choices(["polite", "plain", "angry"], weights=[3, 5, 2])[0]
    if label == "khac":
        parts = [rng.choice(KHAC_OPENERS), fill(problem, rng, place), rng.choice(KHAC_CLOSERS)]
        return " ".join(p for p in parts if p), region
    core = fill(problem, rng, place)
    if "{place}" not in problem and rng.random() < 0.3:
        core += " ở " + place
    if "{dur}" not in problem and rng.random() < 0.3:
        core += " " + rng.choice(DURATIONS)
    text = core
    short = rng.random() < 0.25
    if not short and pools["effects"] and rng.random() < 0.55:
        text += rng.choice(JOINERS) + rng.choice(pools["effects"])
    if not short and pools["requests"] and rng.random() < 0.55:
        text += ". " + rng.choice(pools["requests"]).capitalize()
    if rng.random() < 0.15 and shorts:
        text += rng.choice(MIX_JOINERS) + rng.choice(shorts)
    if not short:
        text = fill(rng.choice(OPENERS[mood]), rng, place) + " " + text + " " + rng.choice(CLOSERS[mood])
    return " ".join(text.split()), region


def generate(seed=SEED):
    rng = random.Random(seed)
    sections = {lab: read_sections(HERE / "templates" / f"{lab}.txt") for lab in LABELS}
    split_pools = {lab: {kind: assign(items, f"{lab}|{kind}") for kind, items in secs.items()}
                   for lab, secs in sections.items()}
    rows = {s: [] for s in SPLITS}
    for split in SPLITS:
        for lab in LABELS:
            pools = {k: v[split] for k, v in split_pools[lab].items()}
            others = [x for o in LABELS if o not in (lab, "khac") for x in split_pools[o]["short"][split]]
            for problem in pools["problems"]:
                for _ in range(PER_PROBLEM.get(lab, DEFAULT_PER_PROBLEM)):
                    text, region = compose(lab, problem, pools, others, rng)
                    text = augment.dialect(text, region, rng) if rng.random() < 0.5 else text
                    rows[split].append((lab, augment.surface(text, rng)[0]))
        for lab in LABELS:
            lines = (HERE / "handwritten" / f"{lab}.txt").read_text(encoding="utf-8").splitlines()
            for line in assign([x.strip() for x in lines if x.strip()], f"{lab}|hand")[split]:
                rows[split].append((lab, line))
                if rng.random() < 0.85:
                    region = rng.choice(list(PLACES))
                    variant = augment.dialect(line, region, rng) if rng.random() < 0.4 else line
                    rows[split].append((lab, augment.surface(variant, rng, accentless_p=0.55)[0]))
    return rows


def dedupe(rows):
    """Drop exact duplicates everywhere, then held-out rows too close to a training row."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    seen, dropped = set(), Counter()
    for split in SPLITS:
        kept = []
        for lab, text in rows[split]:
            key = accentless(text)
            if key in seen:
                dropped[f"{split}_exact"] += 1
                continue
            seen.add(key)
            kept.append((lab, text))
        rows[split] = kept
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=accentless)
    train = vec.fit_transform([t for _, t in rows["train"]])
    for split in ("dev", "test"):
        sims = (vec.transform([t for _, t in rows[split]]) @ train.T).max(axis=1).toarray().ravel()
        dropped[f"{split}_near"] = int((sims >= NEAR_DUP).sum())
        rows[split] = [r for r, s in zip(rows[split], sims) if s < NEAR_DUP]
    return rows, dropped


def is_accentless(text):
    return text == strip_diacritics(text)


def write(rows):
    for split in SPLITS:
        with open(HERE / f"{split}.tsv", "w", encoding="utf-8", newline="\n") as f:
            f.write("label\ttext\n")
            for lab, text in rows[split]:
                f.write(f"{lab}\t{' '.join(text.split())}\n")


def report(rows, dropped, out=sys.stdout):
    print("label        " + "  ".join(f"{s:>5}" for s in SPLITS) + "  total", file=out)
    for lab in LABELS:
        counts = [sum(1 for l, _ in rows[s] if l == lab) for s in SPLITS]
        print(f"{lab:12} " + "  ".join(f"{c:5d}" for c in counts) + f"  {sum(counts):5d}", file=out)
    everything = [t for s in SPLITS for _, t in rows[s]]
    print(f"total {len(everything)}; accentless {sum(map(is_accentless, everything)) / len(everything):.1%}; "
          f"dropped {dict(dropped)}", file=out)


def main():
    rows, dropped = dedupe(generate())
    write(rows)
    report(rows, dropped)


if __name__ == "__main__":
    main()
