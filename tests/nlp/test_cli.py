"""`python -m nlp train/evaluate` on any TSV and any label set."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(r"^macro_f1 \d\.\d{4}$")

ROWS = {
    "road": ["duong hu", "đường xấu quá", "ổ gà khắp đường", "cau sap", "đường lầy lội", "đường nứt",
             "con đường hỏng", "duong o ga", "mặt đường vỡ", "cầu yếu"],
    "water": ["nuoc duc", "nước máy đục", "mất nước", "nước có mùi", "tiền nước cao", "nuoc may yeu",
              "không có nước sạch", "ống nước vỡ", "nước phèn", "nước bẩn"],
    "thanks": ["cam on", "cảm ơn xã", "không có ý kiến", "ko y kien", "tốt lắm", "hài lòng",
               "cảm ơn nhiều", "chúc sức khỏe", "nhất trí", "đồng ý"],
}


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "nlp", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def write_tsv(path):
    lines = ["label\ttext"] + [f"{label}\t{text}" for label, texts in ROWS.items() for text in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_train_then_evaluate_any_label_set(tmp_path):
    data, model = write_tsv(tmp_path / "tiny.tsv"), tmp_path / "out" / "tiny.joblib"
    trained = run("train", "--data", str(data), "--out", str(model))
    assert trained.returncode == 0, trained.stderr
    assert model.exists() and "[nlp]" in trained.stderr
    for extra in ([], ["--strip-diacritics"]):
        result = run("evaluate", "--model", str(model), "--data", str(data), *extra)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.strip().splitlines()
        assert LAST_LINE.match(lines[-1]), lines[-1]
        assert "confusion matrix" in result.stdout and "water" in result.stdout


def test_evaluate_without_model_uses_default_models_dir(tmp_path):
    data = write_tsv(tmp_path / "tiny.tsv")
    result = run("evaluate", "--data", str(data), env={"HAILONG_MODELS_DIR": str(tmp_path / "models")})
    assert result.returncode == 0, result.stderr
    assert LAST_LINE.match(result.stdout.strip().splitlines()[-1])
    assert (tmp_path / "models" / "current.json").exists()


def test_missing_model_is_a_clear_error(tmp_path):
    result = run("evaluate", "--model", str(tmp_path / "none.joblib"))
    assert result.returncode == 2 and "error:" in result.stderr
