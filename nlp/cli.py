"""python -m nlp train --data F.tsv --out M.joblib
python -m nlp evaluate [--model M.joblib] [--data F.tsv] [--strip-diacritics]

Progress goes to stderr; evaluate's last stdout line is `macro_f1 0.xxxx`."""
import argparse
import os
import sys
import time
from pathlib import Path

from nlp.classifier import DEFAULT_SEED, ComplaintClassifier, ModelUnavailable
from nlp.corpus import TEST_TSV, CorpusError, read_tsv
from nlp.evaluation import evaluate
from nlp.registry import load_current


def _progress(msg):
    print(f"[nlp] {msg}", file=sys.stderr, flush=True)


def default_models_dir():
    return Path(os.environ.get("HAILONG_MODELS_DIR") or Path.cwd() / "instance" / "models")


def cmd_train(args):
    rows = read_tsv(args.data)
    dev = read_tsv(args.dev) if args.dev else None
    _progress(f"read {len(rows)} examples, {len({l for l, _ in rows})} labels from {args.data}")
    start = time.perf_counter()
    clf = ComplaintClassifier().fit(
        [t for _, t in rows], [l for l, _ in rows], seed=args.seed,
        dev_texts=[t for _, t in dev] if dev else None, dev_labels=[l for l, _ in dev] if dev else None,
        progress=_progress)
    clf.metadata["version"] = Path(args.out).stem
    clf.metadata["metrics"] = {"macro_f1_dev": round(clf.metadata["dev"]["macro_f1"], 4)}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    clf.save(args.out)
    _progress(f"saved {args.out} in {time.perf_counter() - start:.1f} s")
    print(f"saved {args.out} labels={len(clf.labels)} n_train={len(rows)} "
          f"threshold={clf.threshold:.4f} macro_f1_dev={clf.metadata['dev']['macro_f1']:.4f}")
    return 0


def cmd_evaluate(args):
    if args.model:
        clf = ComplaintClassifier.load(args.model)
    else:
        models_dir = default_models_dir()
        _progress(f"using the default model in {models_dir}")
        clf = load_current(models_dir, progress=_progress)
    rows = read_tsv(args.data)
    _progress(f"evaluating {clf.metadata.get('version', '?')} on {len(rows)} texts from {args.data}"
              + (" with diacritics stripped" if args.strip_diacritics else ""))
    f1, lines = evaluate(clf, rows, strip=args.strip_diacritics)
    print("\n".join(lines))
    print(f"macro_f1 {f1:.4f}")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m nlp", description="HaiLong complaint classifier")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train a model from a label<TAB>text TSV")
    train.add_argument("--data", required=True)
    train.add_argument("--out", required=True)
    train.add_argument("--dev", help="TSV for calibration and the review threshold (default: 15%% of --data)")
    train.add_argument("--seed", type=int, default=DEFAULT_SEED)
    train.set_defaults(func=cmd_train)
    ev = sub.add_parser("evaluate", help="per-label report, confusion matrix, macro-F1")
    ev.add_argument("--model", help="model file (default: the app's current model)")
    ev.add_argument("--data", default=str(TEST_TSV), help="TSV to evaluate on (default: bundled test split)")
    ev.add_argument("--strip-diacritics", action="store_true")
    ev.set_defaults(func=cmd_evaluate)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ModelUnavailable, CorpusError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
