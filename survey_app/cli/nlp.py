"""nlp train / evaluate / retrain / versions / restore: the complaint classifier as the app uses it."""
import click
from flask import Flask

from ..services import model_versions


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
        from nlp.registry import current_model_path

        if if_missing and current_model_path(model_versions.models_dir()) is not None:
            click.echo("a classifier model is already current; nothing to do")
            return
        version = model_versions.train(_progress)
        click.echo(f"model {version} is current")

    @nlp.command("evaluate")
    @click.option("--data", type=click.Path(exists=True, dir_okay=False), help="TSV label<TAB>text "
                  "(default: the bundled held-out test split).")
    @click.option("--strip-diacritics", is_flag=True)
    def evaluate(data, strip_diacritics):
        """Per-label report of the current model; ends with `macro_f1 0.xxxx`."""
        from nlp.cli import main as nlp_main

        args = ["evaluate", "--model", str(_current_path())]
        args += ["--data", data] if data else []
        args += ["--strip-diacritics"] if strip_diacritics else []
        raise SystemExit(nlp_main(args))

    @nlp.command("retrain")
    def retrain():
        """Corpus plus every staff-confirmed label; promoted only if held-out macro-F1 does not drop."""
        result = model_versions.retrain(_progress)
        verdict = "promoted" if result.promoted else "NOT promoted (kept aside)"
        click.echo(f"model {result.version} {verdict}: macro_f1 {result.new_macro_f1:.4f} vs "
                   f"{result.old_macro_f1:.4f} with {result.n_extra} staff corrections; current={result.current}")

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
        from nlp.classifier import ModelUnavailable

        try:
            model_versions.restore(version)
        except ModelUnavailable as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"model {version} is current")


def _current_path():
    from nlp.registry import current_model_path

    path = current_model_path(model_versions.models_dir())
    if path is None:
        version = model_versions.train(_progress)
        path = current_model_path(model_versions.models_dir())
        click.echo(f"no model yet: trained {version}", err=True)
    return path
