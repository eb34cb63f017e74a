"""nlp train / evaluate / retrain / versions / restore: the complaint classifier as the app uses it."""
import click
from flask import Flask

from survey_app.services.feedback import model_versions


def _progress(message: str) -> None:
    click.echo(f"  {message}", err=True)


def register(app: Flask) -> None:
    @app.cli.group("nlp")
    def nlp():
        """The complaint classifier (models under MODELS_DIR, default instance/models)."""

    @nlp.command("train")
    @click.option("--if-missing", is_flag=True, help="Only if no model is current yet (make run, release).")
    def train(if_missing):
        """Train on the bundled corpus, evaluate on its held-out split, make it current."""
        # deferred: nlp loads sklearn (~1 s), only when the command runs
        from nlp.classifier import ComplaintClassifier, ModelUnavailable
        from nlp.registry import current_model_path

        path = current_model_path(model_versions.models_dir())
        if if_missing and path is not None:
            try:
                ComplaintClassifier.load(path)
                click.echo("a classifier model is already current; nothing to do")
                return
            except ModelUnavailable as exc:  # e.g. saved by an older version of the code: train a new one
                click.echo(f"the current model cannot be used ({exc}); training a new one", err=True)
        version = model_versions.train(_progress)
        click.echo(f"model {version} is current")

    @nlp.command("evaluate")
    @click.option("--data", type=click.Path(exists=True, dir_okay=False), help="TSV label<TAB>text "
                  "(default: the bundled held-out test split).")
    @click.option("--strip-diacritics", is_flag=True)
    @click.option("--corrected", type=click.IntRange(min=1), help="Evaluate on the last N texts staff "
                  "confirmed or corrected instead (the closest figure to accuracy in production).")
    def evaluate(data, strip_diacritics, corrected):
        """Per-label report of the current model; ends with `macro_f1 0.xxxx`."""
        # deferred: nlp loads sklearn (~1 s), only when the command runs
        from nlp.cli import main as nlp_main

        if corrected:
            raise SystemExit(_evaluate_corrected(corrected, strip_diacritics))
        args = ["evaluate", "--model", str(_current_path())]
        args += ["--data", data] if data else []
        args += ["--strip-diacritics"] if strip_diacritics else []
        raise SystemExit(nlp_main(args))

    @nlp.command("retrain")
    @click.option("--corrected", type=click.IntRange(min=1), default=100, show_default=True,
                  help="Hold out the last N corrections to judge the new model (with at least 2N of them).")
    def retrain(corrected):
        """Corpus plus staff-confirmed labels; promoted only if neither held-out macro-F1 nor accuracy on
        the latest corrections drops."""
        result = model_versions.retrain(_progress, corrected=corrected)
        verdict = "promoted" if result.promoted else "NOT promoted (kept aside)"
        judged = (f"; last {result.n_corrected} corrections {result.new_corrected:.4f} vs "
                  f"{result.old_corrected:.4f}" if result.n_corrected else "")
        click.echo(f"model {result.version} {verdict}: macro_f1 {result.new_macro_f1:.4f} vs "
                   f"{result.old_macro_f1:.4f} with {result.n_extra} staff corrections{judged}; "
                   f"current={result.current}")

    @nlp.command("versions")
    def versions():
        """Every trained version with its held-out scores; * marks the current one."""
        for row in model_versions.sync_versions():
            mark = "*" if row.is_current else " "
            click.echo(f"{mark} {row.version} macro_f1={row.metrics.get('macro_f1_test')} "
                       f"accentless={row.metrics.get('macro_f1_test_accentless')}")

    @nlp.command("restore")
    @click.argument("version")
    def restore(version):
        """Make an earlier version current again."""
        # deferred: nlp loads sklearn (~1 s), only when the command runs
        from nlp.classifier import ModelUnavailable

        try:
            model_versions.restore(version)
        except ModelUnavailable as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"model {version} is current")


def _evaluate_corrected(n: int, strip: bool) -> int:
    # deferred: nlp loads sklearn (~1 s), only when the command runs
    from nlp.classifier import ComplaintClassifier
    from nlp.evaluation import accuracy, evaluate

    rows = model_versions.latest_corrections(n)
    if not rows:
        click.echo("error: no feedback has a staff-confirmed label yet", err=True)
        return 2
    clf = ComplaintClassifier.load(_current_path())
    f1, lines = evaluate(clf, rows, strip=strip)
    click.echo("\n".join(lines))
    click.echo(f"accuracy_corrected {accuracy(clf, rows):.4f} over the last {len(rows)} corrected texts")
    click.echo(f"macro_f1 {f1:.4f}")
    return 0


def _current_path():
    # deferred: nlp loads sklearn (~1 s), only when the command runs
    from nlp.registry import current_model_path

    path = current_model_path(model_versions.models_dir())
    if path is None:
        version = model_versions.train(_progress)
        path = current_model_path(model_versions.models_dir())
        click.echo(f"no model yet: trained {version}", err=True)
    return path
