"""Forms of the campaign pages: a new campaign, a hamlets/households file, a paper form."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..forms import CleanForm
from ..models import CampaignMode
from ..models.campaign import PURPOSES, VerdictRule

PURPOSE_LABELS = {"cong_nhan": _l("Công nhận xã đạt chuẩn nông thôn mới"),
                  "nang_cao": _l("Công nhận nông thôn mới nâng cao"),
                  "kieu_mau": _l("Công nhận nông thôn mới kiểu mẫu"),
                  "dinh_ky": _l("Định kỳ")}


class CampaignForm(CleanForm):
    commune_id = SelectField(_l("Xã"), coerce=int)
    questionnaire_key = SelectField(_l("Bộ câu hỏi"))
    name = StringField(_l("Tên đợt lấy ý kiến"), validators=[DataRequired(), Length(max=300)])
    purpose = SelectField(_l("Mục đích"), choices=[(p, PURPOSE_LABELS[p]) for p in PURPOSES])
    opens_on = DateField(_l("Ngày bắt đầu"), validators=[DataRequired()])
    closes_on = DateField(_l("Ngày kết thúc"), validators=[DataRequired()])
    threshold_percent = DecimalField(_l("Ngưỡng hài lòng (%)"), default=90, places=1,
                                     validators=[DataRequired(), NumberRange(min=1, max=100)])
    verdict_rule = SelectField(_l("Cách kết luận đạt"), choices=[
        (VerdictRule.OVERALL, _l("Theo câu đánh giá chung")),
        (VerdictRule.EVERY_QUESTION, _l("Mọi câu hỏi đều đạt ngưỡng")),
    ])
    mode = SelectField(_l("Cách trả lời"), choices=[
        (CampaignMode.HOUSEHOLD_CODES, _l("Mỗi hộ một mã trên phiếu mời")),
        (CampaignMode.OPEN, _l("Mở: ai cũng trả lời, chọn thôn (không xác minh hộ)")),
    ])

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("Ngày kết thúc phải sau ngày bắt đầu."))


class UnitsFileForm(CleanForm):
    kind = SelectField(_l("Loại tệp"), choices=[("households", _l("Danh sách hộ (thôn, số hộ, chủ hộ, địa chỉ)")),
                                                ("hamlets", _l("Danh sách thôn (tên, mã)"))])
    file = FileField(_l("Tệp CSV hoặc XLSX"), validators=[
        FileRequired(_l("Hãy chọn một tệp.")),
        FileAllowed(["csv", "xlsx", "xlsm"], _l("Chỉ nhận tệp CSV hoặc XLSX.")),
    ])


class PaperCodeForm(CleanForm):
    code = StringField(_l("Mã hộ trên phiếu"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})


class PaperForm(CleanForm):
    """The answers themselves are read as q<id> (key) and r<id> (reason) from the request."""

    code = HiddenField(validators=[DataRequired(), Length(max=20)])
    other_opinion = TextAreaField(_l("Ý kiến khác"), validators=[Optional(), Length(max=2000)])
    invalid = BooleanField(_l("Phiếu không hợp lệ"))
