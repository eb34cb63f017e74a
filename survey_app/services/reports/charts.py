"""Charts as SVG drawn on the server: no JavaScript, no CDN, a few kB each.

Readable in black and white: passing bars are solid, failing ones hatched, the bar is a dashed line,
every value is written as text. Each chart carries a <title> and <desc> (its text alternative) and only
presentation attributes (the site's CSP allows no inline style).
"""
from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape

from survey_app.i18n import current_locale
from survey_app.services.reports.counting import bar_percent, format_bar, format_pct, meets_bar
from survey_app.vocabulary import CHANNEL_NAMES, FIELD_NAMES

PATTERNS = ('<defs><pattern id="{p}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#333" stroke-width="3"/></pattern></defs>')


def field_name(key: str | None) -> str:
    return str(FIELD_NAMES.get(key or "", key or "–"))


def pct_text(numerator: int, denominator: int) -> str:
    """Rounded once, half up, in the reader's language: 73/80 → "91,3 %" (the pages' `pct`)."""
    return format_pct(numerator, denominator, current_locale())


def _svg(prefix: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-labelledby="{prefix}-t {prefix}-d" font-family="sans-serif" '
            f'font-size="13"><title id="{prefix}-t">{escape(title)}</title><desc id="{prefix}-d">{escape(desc)}</desc>')
    return Markup(head + PATTERNS.format(p=prefix) + "".join(body) + "</svg>")


def satisfaction_chart(questions: list[dict], threshold, prefix: str = "sat") -> Markup:
    """One horizontal bar per question, the bar drawn as a dashed line; failing bars hatched."""
    label_w, bar_w, row_h = 230, 330, 24
    height = 40 + row_h * len(questions) + 30
    bar_x = label_w + bar_w * float(bar_percent(threshold)) / 100
    body, desc = [], []
    for i, q in enumerate(questions):
        answered = q["satisfied"] + q["not_satisfied"]
        y = 30 + i * row_h
        meets = meets_bar(q["satisfied"], answered, threshold)
        width = bar_w * q["satisfied"] / answered if answered else 0
        label = f'{q["position"]}. {q["short"]}'
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(label[:34])}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 8}" fill="#fff" '
                    f'stroke="#999"/>')
        fill = "#1b5e20" if meets else f"url(#{prefix}-hatch)"
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" fill="{fill}" '
                    f'stroke="#000"/>')
        value = pct_text(q["satisfied"], answered)
        body.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}">{escape(value)}</text>')
        desc.append(f"{label}: {value}")
    bottom = 30 + row_h * len(questions)
    body.append(f'<line x1="{bar_x:.1f}" y1="22" x2="{bar_x:.1f}" y2="{bottom}" stroke="#000" stroke-width="2" '
                f'stroke-dasharray="5 3"/>')
    bar_label = _("Mức yêu cầu %(bar)s", bar=format_bar(threshold, current_locale()))
    body.append(f'<text x="{bar_x:.1f}" y="16" text-anchor="middle">{escape(bar_label)}</text>')
    body.append(_legend(prefix, bottom + 8, [("#1b5e20", _("Đạt")), (f"url(#{prefix}-hatch)", _("Chưa đạt"))]))
    return _svg(prefix, label_w + bar_w + 70, height, _("Tỷ lệ hài lòng theo từng câu hỏi"),
                bar_label + ". " + "; ".join(desc), body)


def _legend(prefix: str, y: int, items: list[tuple[str, str]]) -> str:
    out, x = [], 10
    for fill, text in items:
        out.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{fill}" stroke="#000"/>'
                   f'<text x="{x + 20}" y="{y + 12}">{escape(text)}</text>')
        x += 30 + 8 * len(str(text))
    return "".join(out)


def channel_chart(channels: list[dict], prefix: str = "ch") -> Markup:
    """Forms per channel: verified solid, unverified hatched, counts written."""
    total = max(1, max((c["verified"] + c["unverified"] for c in channels), default=1))
    body, desc = [], []
    for i, c in enumerate(channels):
        y = 10 + i * 26
        name = str(CHANNEL_NAMES.get(c["channel"], c["channel"]))
        v_w, u_w = 360 * c["verified"] / total, 360 * c["unverified"] / total
        body.append(f'<text x="110" y="{y + 14}" text-anchor="end">{escape(name)}</text>')
        body.append(f'<rect x="116" y="{y}" width="{v_w:.1f}" height="18" fill="#0d47a1" stroke="#000"/>')
        body.append(f'<rect x="{116 + v_w:.1f}" y="{y}" width="{u_w:.1f}" height="18" fill="url(#{prefix}-hatch)" '
                    f'stroke="#000"/>')
        text = f'{format_decimal(c["verified"])} + {format_decimal(c["unverified"])}'
        body.append(f'<text x="{122 + v_w + u_w:.1f}" y="{y + 14}">{escape(text)}</text>')
        desc.append(_("%(channel)s: %(v)s có mã hộ, %(u)s không xác minh", channel=name,
                      v=format_decimal(c["verified"]), u=format_decimal(c["unverified"])))
    bottom = 14 + 26 * len(channels)
    body.append(_legend(prefix, bottom, [("#0d47a1", _("Có mã hộ (đã xác minh)")),
                                         (f"url(#{prefix}-hatch)", _("Không xác minh"))]))
    return _svg(prefix, 600, bottom + 24, _("Phiếu theo kênh"), "; ".join(desc), body)


def field_hamlet_chart(matrix: dict, hamlets: list[dict], prefix: str = "fh") -> Markup:
    """A table of fields × hamlets, each cell shaded by its count (darker = more) and the count written."""
    fields, cells = matrix["fields"], matrix["cells"]
    top = max(cells.values(), default=0) or 1
    col_w, row_h, left = 70, 22, 170
    body = []
    for j, h in enumerate(hamlets):
        body.append(f'<text x="{left + j * col_w + col_w / 2}" y="16" text-anchor="middle" font-size="11">'
                    f'{escape(h["name"][:12])}</text>')
    desc = []
    for i, field in enumerate(fields):
        y = 24 + i * row_h
        body.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(field_name(field))}</text>')
        for j, h in enumerate(hamlets):
            n = cells.get((field, h["id"]), 0)
            shade = int(255 - 200 * n / top)
            ink = "#fff" if shade < 130 else "#000"
            body.append(f'<rect x="{left + j * col_w}" y="{y}" width="{col_w}" height="{row_h}" '
                        f'fill="rgb({shade},{shade},{shade})" stroke="#666"/>'
                        f'<text x="{left + j * col_w + col_w / 2}" y="{y + 15}" text-anchor="middle" '
                        f'fill="{ink}">{n}</text>')
            if n:
                desc.append(f"{field_name(field)} – {h['name']}: {n}")
    return _svg(prefix, left + col_w * max(1, len(hamlets)) + 10, 30 + row_h * max(1, len(fields)),
                _("Ý kiến theo lĩnh vực và thôn"), "; ".join(desc) or _("Chưa có ý kiến."), body)


def turnout_chart(days: list[dict], households: int, prefix: str = "to") -> Markup:
    """Cumulative forms returned per day, with the 70 % coverage line."""
    width, height, left, bottom = 600, 200, 50, 170
    top_value = max(households, days[-1]["cumulative"] if days else 0, 1)
    n = max(1, len(days) - 1)
    points = " ".join(f'{left + (width - left - 20) * i / n:.1f},{bottom - 150 * d["cumulative"] / top_value:.1f}'
                      for i, d in enumerate(days))
    line_y = bottom - 150 * 0.7 * households / top_value
    body = [f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#000"/>',
            f'<line x1="{left}" y1="{line_y:.1f}" x2="{width - 10}" y2="{line_y:.1f}" stroke="#000" '
            f'stroke-dasharray="5 3"/>',
            f'<text x="{left}" y="{line_y - 4:.1f}">{escape(_("Mốc %(pct)s số hộ", pct="70 %"))}</text>']
    if days:
        body.append(f'<polyline points="{points}" fill="none" stroke="#000" stroke-width="2"/>')
        body.append(f'<text x="{left}" y="{bottom + 18}">{escape(days[0]["day"])}</text>')
        body.append(f'<text x="{width - 10}" y="{bottom + 18}" text-anchor="end">{escape(days[-1]["day"])}</text>')
        body.append(f'<text x="{width - 10}" y="{bottom - 150 * days[-1]["cumulative"] / top_value - 6:.1f}" '
                    f'text-anchor="end">{format_decimal(days[-1]["cumulative"])}</text>')
    desc = "; ".join(f'{d["day"]}: {d["cumulative"]}' for d in days) or _("Chưa có phiếu.")
    return _svg(prefix, width, height + 10, _("Số phiếu thu về theo ngày (cộng dồn)"), desc, body)


def distribution_chart(buckets: list[dict], prefix: str = "dist") -> Markup:
    """Communes per band of the overall rate."""
    top = max((b["communes"] for b in buckets), default=0) or 1
    body, desc = [], []
    for i, b in enumerate(buckets):
        x, h = 40 + i * 90, 120 * b["communes"] / top
        label = f'{b["low"]}–{b["high"]} %'
        body.append(f'<rect x="{x}" y="{140 - h:.1f}" width="60" height="{h:.1f}" fill="#555" stroke="#000"/>'
                    f'<text x="{x + 30}" y="{135 - h:.1f}" text-anchor="middle">{b["communes"]}</text>'
                    f'<text x="{x + 30}" y="158" text-anchor="middle">{label}</text>')
        desc.append(f"{label}: {b['communes']}")
    return _svg(prefix, 40 + 90 * len(buckets), 170, _("Số xã theo tỷ lệ hài lòng chung"), "; ".join(desc), body)


def campaign_charts(campaign, report: dict, hamlets: list[dict] | None = None) -> dict:
    """The four charts of a campaign's report (hamlets may be limited for the public page)."""
    s = report["summary"]
    shown = report["hamlets"] if hamlets is None else hamlets
    return {"satisfaction": satisfaction_chart(s["questions"], campaign.threshold),
            "channels": channel_chart(report["channels"]),
            "field_hamlet": field_hamlet_chart(report["field_hamlet"], shown),
            "turnout": turnout_chart(report["turnout"], s["households"])}
