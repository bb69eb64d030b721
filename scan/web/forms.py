"""Forms for the signed-in jobs, with messages a person understands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (EmailField, PasswordField, SelectChoice, SelectField, SelectMultipleField,
                     StringField, SubmitField, widgets)
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from scan.accounts import MIN_PASSWORD_LENGTH
from scan.rounds import valid_school_year
from scan.web import labels


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes instead of a multi-select box: easier on phones."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms wants them."""
    return [SelectChoice(value, label) for value, label in pairs]


def _required():
    return DataRequired(message=_l("This field is required."))


def _password(label):
    return PasswordField(label, validators=[
        _required(),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))])


def _email():
    return EmailField(_l("Email address"), validators=[
        _required(), Email(message=_l("Enter a valid email address.")), Length(max=200)])


def _name(label):
    return StringField(label, validators=[
        _required(), Length(max=200, message=_l("Keep it under 200 characters."))])


class LoginForm(FlaskForm):
    email = _email()
    password = PasswordField(_l("Password"), validators=[_required(), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[_required(), Length(max=200)])
    new = _password(_l("New password"))
    repeat = PasswordField(_l("Repeat the new password"), validators=[
        EqualTo("new", message=_l("The two new passwords differ."))])
    submit = SubmitField(_l("Change password"))


class PartnershipForm(FlaskForm):
    name = _name(_l("Name of the partnership"))
    coordinator_name = _name(_l("Name of the first coordinator"))
    coordinator_email = _email()
    submit = SubmitField(_l("Create partnership"))


class MemberForm(FlaskForm):
    name = _name(_l("Name"))
    email = _email()
    role = SelectField(_l("Role"), choices=choices(labels.MEMBER_ROLES.items()))
    submit = SubmitField(_l("Add member"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(labels.MEMBER_ROLES.items()))
    submit = SubmitField(_l("Change role"))


class PartnerForm(FlaskForm):
    name = _name(_l("Name"))
    type = SelectField(_l("Type"), choices=choices(labels.PARTNER_TYPES.items()))
    sector = SelectField(_l("Sector"), choices=choices(labels.SECTORS.items()))
    submit = SubmitField(_l("Save partner"))


class RoundForm(FlaskForm):
    school_year = StringField(_l("School year"), description=_l("For example 2025-2026"),
                              validators=[_required(), Length(max=9)])
    title = StringField(_l("Title"), validators=[Length(max=200)],
                        description=_l("Optional, for example 'Yearly self-scan'"))
    sets = MultiCheckboxField(_l("Question sets"), validators=[
        DataRequired(message=_l("Choose at least one question set."))])
    partners = MultiCheckboxField(_l("Partners"), coerce=int, validators=[
        DataRequired(message=_l("Choose at least one partner."))])
    roles = MultiCheckboxField(_l("Roles"), choices=choices(labels.RESPONDENT_ROLES.items()),
                               validators=[DataRequired(message=_l("Choose at least one role."))])
    submit = SubmitField(_l("Open scan round"))

    def validate_school_year(self, field):
        if not valid_school_year(field.data or ""):
            raise ValidationError(_l("Write the school year as two consecutive years, "
                                     "for example 2025-2026."))


class ActionForm(FlaskForm):
    """A form with only a button: CSRF protection for one-click actions."""

    submit = SubmitField(_l("Confirm"))
