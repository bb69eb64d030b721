"""Translated names for the codes the database stores."""

from flask_babel import lazy_gettext as _l

MEMBER_ROLES = {
    "coordinator": _l("Coordinator"),
    "facilitator": _l("Facilitator"),
    "viewer": _l("Viewer (steering group)"),
}

RESPONDENT_ROLES = {
    "stuurgroeplid": _l("Steering group member"),
    "schoolleider": _l("School leader"),
    "bestuurder": _l("Board member"),
    "schoolopleider": _l("School-based teacher educator"),
    "instituutsopleider": _l("Institute-based teacher educator"),
    "werkplekbegeleider": _l("Workplace mentor"),
    "leraar-in-opleiding": _l("Student teacher"),
    "starter": _l("Starting teacher"),
    "hr": _l("HR"),
    "overig": _l("Other"),
}

PARTNER_TYPES = {
    "school": _l("School"),
    "bestuur": _l("School board"),
    "instituut": _l("Teacher-education institute"),
}

SECTORS = {
    "po": _l("Primary (po)"),
    "vo": _l("Secondary (vo)"),
    "mbo": _l("Vocational (mbo)"),
}

ROUND_STATUS = {"open": _l("open"), "closed": _l("closed")}
