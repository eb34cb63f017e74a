"""Staff forms (every one carries a CSRF token through Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from ..forms import CleanForm


class LoginForm(CleanForm):
    """Username and password; the username is cleaned like every text field, the password never."""

    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Đăng nhập"))


class PasswordForm(CleanForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(), Length(max=200)],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("Mật khẩu mới (ít nhất 10 ký tự)"), validators=[DataRequired(), Length(min=10, max=200)],
                        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[DataRequired(), EqualTo("new")],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Đổi mật khẩu"))


class AccountForm(CleanForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80),
                                                             Regexp(r"^[a-zA-Z0-9_.-]+$")])
    full_name = StringField(_l("Họ tên"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Vai trò"), choices=[])
    unit_code = StringField(_l("Mã đơn vị (tỉnh hoặc xã)"), validators=[Optional(), Length(max=32)])
    submit = SubmitField(_l("Tạo tài khoản"))


class ToggleForm(CleanForm):
    """An empty form: its CSRF token guards enable/disable buttons."""
    active = BooleanField()
