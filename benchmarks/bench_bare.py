"""The ceiling for benchmarks/web_submit.py: Flask with nothing behind it, under the same gunicorn settings."""
from flask import Flask

app = Flask(__name__)


@app.route("/", methods=["GET", "POST"])
def hello():
    """A page of nothing: routing, request parsing and a response, no template, no database."""
    return "ok"
