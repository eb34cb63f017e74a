"""Staff forms."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..forms import CleanForm


class LoginForm(CleanForm):
    """Username and password; the username is cleaned like every text field, the password never."""

    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Đăng nhập"))
