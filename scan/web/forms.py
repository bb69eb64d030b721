"""Forms for the signed-in jobs, with messages a person understands."""

from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FileField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from scan.accounts import MIN_PASSWORD_LENGTH
from scan.rounds import valid_school_year
from scan.web import labels
from scan.web.i18n import lazy_gettext as _l


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes instead of a multi-select box: easier on phones."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        # WTForms checks each ticked value against a list of the choices (and works
        # out "selected" per choice against the ticked list): at 8,000 group links
        # that is 64 million comparisons. A set does it in one pass.
        offered = {c.value if isinstance(c, SelectChoice) else c[0] for c in self.choices}
        if any(value not in offered for value in self.data or ()):
            raise ValidationError(_l("Choose only from the options offered."))


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
    lang = SelectField(_l("Language of the invitation"),
                       choices=choices((("nl", "Nederlands"), ("en", "English"))), default="nl")
    submit = SubmitField(_l("Create partnership"))


class MemberForm(FlaskForm):
    name = _name(_l("Name"))
    email = _email()
    role = SelectField(_l("Role"), choices=choices(labels.MEMBER_ROLES.items()))
    lang = SelectField(_l("Language of the invitation"),
                       choices=choices((("nl", "Nederlands"), ("en", "English"))), default="nl")
    submit = SubmitField(_l("Invite"))


class JoinForm(FlaskForm):
    """Accepting an invitation: a new account's name and own password."""

    name = _name(_l("Your name"))
    new = _password(_l("Choose a password"))
    repeat = PasswordField(_l("Repeat the password"), validators=[
        EqualTo("new", message=_l("The two passwords differ."))])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(labels.MEMBER_ROLES.items()))
    submit = SubmitField(_l("Change role"))


class PartnerForm(FlaskForm):
    name = _name(_l("Name"))
    type = SelectField(_l("Type"), choices=choices(labels.PARTNER_TYPES.items()))
    sector = SelectField(_l("Sector"), choices=choices(labels.SECTORS.items()))
    submit = SubmitField(_l("Save partner"))


def _within_a_year(form, field):
    if field.data and field.data > date.today() + timedelta(days=366):
        raise ValidationError(_l("Choose a closing date within a year."))


def _not_in_the_past(form, field):
    if field.data and field.data < date.today() and field.data != field.object_data:
        raise ValidationError(_l("This date has already passed. Choose today or a later date."))


class RoundForm(FlaskForm):
    school_year = StringField(_l("School year"), description=_l("For example 2025-2026"),
                              validators=[_required(), Length(max=9)])
    title = StringField(_l("Title"), validators=[Length(max=200)],
                        description=_l("Optional, for example 'Yearly self-scan'"))
    sets = MultiCheckboxField(_l("Question sets"), validators=[
        DataRequired(message=_l("Choose at least one question set."))])
    # One checkbox per partner × role that exists (scan.roles): a board has no
    # student teachers, so no such link is ever offered.
    links = MultiCheckboxField(_l("Group links"), validators=[
        DataRequired(message=_l("Choose at least one partner and role."))])
    # Every group link expects a number of people: its questionnaires count towards
    # the anonymity threshold up to that number, and no further (docs/privacy.md).
    expected = IntegerField(_l("People expected per group link"), validators=[
        DataRequired(message=_l("Fill in how many people you expect per group link.")),
        NumberRange(min=1, max=100_000, message=_l(
            "Give the number of people expected as a whole number from 1 to 100,000."))],
        description=_l("How many people you will send each link to. Only that many "
                       "questionnaires per link count towards the anonymity threshold, "
                       "and the link starts no more, so questionnaires someone fills in "
                       "twice from other browsers cannot make a small group visible. You "
                       "can give each link its own number on the round page; personal "
                       "invitations set it for you."))
    closes_on = DateField(_l("Closing date (optional)"),
                          validators=[Optional(), _not_in_the_past, _within_a_year],
                          description=_l("The round closes itself at the end of this day."))
    submit = SubmitField(_l("Open scan round"))

    def validate_school_year(self, field):
        if not valid_school_year(field.data or ""):
            raise ValidationError(_l("Write the school year as two consecutive years, "
                                     "for example 2025-2026."))


class ClosingDateForm(FlaskForm):
    """Set, move or clear an open round's closing date (empty: no date)."""

    closes_on = DateField(_l("Closing date"), validators=[Optional(), _not_in_the_past,
                                                          _within_a_year])


class ActionForm(FlaskForm):
    """A form with only a button: CSRF protection for one-click actions."""

    submit = SubmitField(_l("Confirm"))


class WorkshopForm(FlaskForm):
    title = _name(_l("Title"))
    held_on = DateField(_l("Date"), validators=[
        DataRequired(message=_l("Give the date as day, month and year."))])
    round = SelectField(_l("Steer by scan round (optional)"), coerce=int)
    decks = MultiCheckboxField(_l("Card decks"), validators=[
        DataRequired(message=_l("Choose at least one card deck."))])
    submit = SubmitField(_l("Create workshop session"))


class DrawForm(FlaskForm):
    mode = SelectField(_l("How"), choices=choices([("random", _l("At random")),
                                                   ("scan", _l("From the scan"))]))
    deck = SelectField(_l("Deck"), default="")
    kind = SelectField(_l("Kind"), choices=choices([("", _l("Any kind")),
                                                    ("visie", _l("vision")),
                                                    ("realisatie", _l("realisation")),
                                                    ("evaluatie", _l("evaluation"))]),
                       default="")
    # Its own id: the agreement form beside it on the console has a "dimension" too,
    # and a shared id sent this label (and a screen reader) to the other form's list.
    dimension = SelectField(_l("Theme"), default="", id="draw-dimension")
    count = IntegerField(_l("Number of cards"), default=1, validators=[
        NumberRange(min=1, max=20, message=_l("Draw between 1 and 20 cards at a time."))])
    submit = SubmitField(_l("Draw"))


class PickForm(FlaskForm):
    card = SelectField(_l("Card"))
    submit = SubmitField(_l("Add this card"))


class AgreementForm(FlaskForm):
    text = TextAreaField(_l("Agreement"), validators=[
        _required(), Length(max=1000, message=_l("Keep it under 1000 characters."))])
    owner = _name(_l("Who (a name or a role)"))
    due_on = DateField(_l("Due date"), validators=[Optional(), _not_in_the_past])
    dimension = SelectField(_l("Theme it is about"), default="")
    submit = SubmitField(_l("Add agreement"))


class ActionEditForm(AgreementForm):
    status = SelectField(_l("Status"), choices=choices(labels.ACTION_STATUS.items()))
    submit = SubmitField(_l("Save action"))


# ---- Joint scoring (samen scoren) ----------------------------------------------------

class JointSessionForm(FlaskForm):
    title = _name(_l("Title"))
    held_on = DateField(_l("Date"), validators=[
        DataRequired(message=_l("Give the date as day, month and year."))])
    source = SelectField(_l("Round and question set"), validators=[
        DataRequired(message=_l("Choose the round and question set to score."))])
    dimensions = MultiCheckboxField(
        _l("Themes to score"), validators=[Optional()],
        description=_l("Tick the themes of the chosen set to score, in this order. "
                       "Tick none to score every theme of the set."))
    submit = SubmitField(_l("Start joint scoring session"))


class SeatForm(FlaskForm):
    """A participant says which partner type and role they sit for (never shown per person)."""

    seat = SelectField(_l("I take part for"), validators=[
        DataRequired(message=_l("Choose the kind of partner and role you take part for."))])
    submit = SubmitField(_l("Join"))


class PlacementForm(FlaskForm):
    dimension = HiddenField()
    value = RadioField(_l("Where does the partnership stand?"), coerce=int, validators=[
        DataRequired(message=_l("Choose a point on the scale."))])
    submit = SubmitField(_l("Place"))


class StickyNoteForm(FlaskForm):
    dimension = HiddenField()
    body = TextAreaField(_l("Sticky note (anonymous)"), validators=[
        _required(), Length(max=280, message=_l("Keep a note under 280 characters."))])
    submit = SubmitField(_l("Add sticky note"))


class CardNoteForm(FlaskForm):
    """A phone's anonymous note (reactie) on the card on screen in a card workshop."""

    row = HiddenField()
    body = TextAreaField(_l("Your note on this card (anonymous)"), validators=[
        _required(), Length(max=280, message=_l("Keep a note under 280 characters."))])
    submit = SubmitField(_l("Add note"))


class JointAgreementForm(FlaskForm):
    dimension = HiddenField()
    score = RadioField(_l("Joint score"), coerce=int, validators=[
        DataRequired(message=_l("Choose the joint score on the scale."))])
    evidence = TextAreaField(_l("What is it based on? What do we see that shows it?"),
                             validators=[_required(), Length(
                                 max=2000, message=_l("Keep it under 2000 characters."))])
    next_step = TextAreaField(_l("Next step (optional)"), validators=[
        Optional(), Length(max=1000, message=_l("Keep it under 1000 characters."))])
    owner = StringField(_l("Who takes it on"), validators=[Length(max=200)])
    due_on = DateField(_l("Due date"), validators=[Optional(), _not_in_the_past])
    submit = SubmitField(_l("Record joint score"))

    def validate_owner(self, field):
        if (self.next_step.data or "").strip() and not (field.data or "").strip():
            raise ValidationError(_l("Say who takes the next step on."))


class TimerForm(FlaskForm):
    minutes = IntegerField(_l("Minutes"), default=5, validators=[
        NumberRange(min=0, max=60, message=_l("Set between 0 and 60 minutes (0 stops it)."))])
    submit = SubmitField(_l("Start timer"))


class JoiningForm(FlaskForm):
    """The facilitator's room check for a joint scoring session (scan.joint.MAX_SEATS)."""

    expected = IntegerField(_l("People expected in the room"), validators=[
        Optional(), NumberRange(min=1, max=150,
                                message=_l("Give a number of people from 1 to 150, or leave "
                                           "it empty."))])
    locked = BooleanField(_l("Lock joining: the room is in"))
    submit = SubmitField(_l("Save room check"))


class DotVoteForm(FlaskForm):
    dots = IntegerField(_l("Dots per participant"), default=3, validators=[
        NumberRange(min=1, max=10, message=_l("Give between 1 and 10 dots."))])
    submit = SubmitField(_l("Start dot vote"))


class ReflectionForm(FlaskForm):
    """The coordinator's reflection on one standard of the dossier; `version` is the
    version the writer started from, so a save over someone else's is refused."""

    body = TextAreaField(_l("Your reflection"), validators=[
        Length(max=8000, message=_l("Keep the reflection under 8000 characters."))])
    version = IntegerField(validators=[
        Optional(), NumberRange(min=0, message=_l("This form was changed. Reload the page."))])


class PanelLinkForm(FlaskForm):
    """A read-only link for a visiting review panel, valid for some days."""

    days = IntegerField(_l("Valid for (days)"), default=14, validators=[
        DataRequired(message=_l("Give the number of days the link stays valid.")),
        NumberRange(min=1, max=90, message=_l("A panel link is valid for 1 to 90 days."))])


# ---- Mail: password reset, personal invitations ---------------------------------------

LANGUAGE_CHOICES = (("nl", "Nederlands"), ("en", "English"))


class ForgotPasswordForm(FlaskForm):
    email = _email()
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(FlaskForm):
    new = _password(_l("New password"))
    repeat = PasswordField(_l("Repeat the new password"), validators=[
        EqualTo("new", message=_l("The two new passwords differ."))])
    submit = SubmitField(_l("Set new password"))


class PersonalInvitationForm(FlaskForm):
    """Addresses for personal invitations: pasted, or a CSV file (address[, nl|en])."""

    addresses = TextAreaField(_l("Addresses"), validators=[Length(
        max=200_000, message=_l("This list is too long. Send at most 2000 addresses at a "
                                "time."))],
        description=_l("One address per line. Add ', en' after an address for an "
                       "invitation in English."))
    file = FileField(_l("Or a CSV file"), description=_l(
        "The address in the first column, optionally nl or en in the second."))
    lang = SelectField(_l("Language of the invitations"),
                       choices=choices(LANGUAGE_CHOICES), default="nl")
    submit = SubmitField(_l("Send invitations"))


class CodeForm(FlaskForm):
    """The six digits from an authenticator app."""

    code = StringField(_l("Code from your authenticator app"), validators=[
        _required(), Length(max=12)], render_kw={"inputmode": "numeric",
                                                 "autocomplete": "one-time-code"})
