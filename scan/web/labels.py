"""Translated names for the codes the database stores."""

from scan.web.i18n import gettext as _
from scan.web.i18n import lazy_gettext as _l

MEMBER_ROLES = {
    "coordinator": _l("Coordinator"),
    "facilitator": _l("Facilitator"),
    "viewer": _l("Steering group member (read only)"),
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
    "programmaleider": _l("Programme leader"),
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

TAG_KEYS = {
    "mechanism": _l("By learning mechanism"),
    "level": _l("By level"),
    "domain": _l("By domain"),
    "kind": _l("By kind of question"),
    "condition": _l("By condition"),
    "theme": _l("By theme"),
}

# The name of a tag key as the axis of a grid (learning mechanism × level).
TAG_AXES = {
    "mechanism": _l("Learning mechanism"),
    "level": _l("Level"),
    "domain": _l("Domain"),
    "kind": _l("Kind of question"),
    "condition": _l("Condition"),
    "theme": _l("Theme"),
}

TAG_VALUES = {
    "institutioneel": _l("institutional"),
    "interpersoonlijk": _l("interpersonal"),
    "intrapersoonlijk": _l("intrapersonal"),
    "visie": _l("vision"),
    "realisatie": _l("realisation"),
    "evaluatie": _l("evaluation"),
    "opleiden": _l("training students"),
    "onderzoek": _l("research in the school"),
    "professionalisering": _l("induction and professional development"),
    "identificatie": _l("identification"),
    "coordinatie": _l("coordination"),
    "reflectie": _l("reflection"),
    "transformatie": _l("transformation"),
}

# The two sides of a partnership (scan.sides): schools with their boards, and the institute.
SIDES = {
    "school-side": _l("School side (schools and boards)"),
    "institute-side": _l("Institute side"),
}
# The side table's column heads: short enough for two columns beside the themes on a
# 390 px phone (the themes' longest word, "professionalisering", takes half of it); the
# full name above is what a screen reader hears, and the text over the table says it.
SIDE_HEADS = {
    "school-side": _l("School"),
    "institute-side": _l("Institute"),
}

GROUP_KINDS = {
    "partner_type": _l("Partner type"),
    "side": _l("Side"),
    "role": _l("Role"),
    "partner": _l("Partner"),
}

ACTION_STATUS = {"open": _l("open"), "bezig": _l("in progress"), "klaar": _l("done")}

CARD_KINDS = {"visie": _l("vision"), "realisatie": _l("realisation"),
              "evaluatie": _l("evaluation")}

WORKSHOP_STATUS = {"open": _l("open"), "closed": _l("closed")}


def at_least(count: int, k: int) -> str:
    """A count of people as a reader may see it: 1 to k-1 reads "fewer than k"."""
    return str(count) if count == 0 or count >= k else _("fewer than %(k)d", k=k)

# Column heads of the exports' tables (codes: scan.anonymised), as a spreadsheet shows them.
EXPORT_COLUMNS = {
    "set": _l("Question set (code)"),
    "set_title": _l("Question set"),
    "dimension": _l("Theme (code)"),
    "dimension_title": _l("Theme"),
    "group_kind": _l("Kind of group (code)"),
    "group_kind_name": _l("Kind of group"),
    "group": _l("Group (code)"),
    "group_name": _l("Group"),
    "respondents": _l("Respondents"),
    "respondent": _l("Respondent"),
    "partner_type": _l("Partner type"),
    "role": _l("Role"),
    "item": _l("Statement"),
    "value": _l("Answer"),
    "mean": _l("Mean"),
    "spread": _l("Spread (sd)"),
    "dont_know": _l("Don't know"),
    "comment": _l("Comment"),
    "joint_score": _l("Joint score"),
    "evidence": _l("Evidence"),
    "session": _l("Session"),
    "session_date": _l("Session date"),
    "survey_mean": _l("Survey mean"),
    "people_left_out": _l("People left out"),
    "values_blanked": _l("Values blanked (merged statements)"),
}

# Sheets of the Excel export and the names of the CSV downloads.
EXPORT_SHEETS = {
    "summary": _l("Summary"),
    "comments": _l("Comments"),
    "joint": _l("Joint scores"),
    "answers": _l("Answers"),
    "left_out": _l("Left out"),
}

def round_name(the_round: dict) -> str:
    """A round's title with its school year, once: older rounds carry the year in
    their title already ("Zelfscan 2025-2026"), newer ones do not."""
    title, year = the_round["title"], the_round["school_year"]
    return title if year in title else f"{title} {year}"
