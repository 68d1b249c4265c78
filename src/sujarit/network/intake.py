"""Raising a report from a monitoring visit: a link to the intake form with the facts filled in.

The intake form (the cases module) reads these GET parameters to prefill itself; the
member then reviews the text, adds anything missing and submits it as any citizen would,
so the report goes through the same intake, routing and audit as every other.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils.translation import gettext as _

from sujarit.lib.thaidate import format_date
from sujarit.network.models import Answer, Visit

INTAKE_PATH = "/report/"
#: The report kind a visit raises by default: a problem with a public project is a matter
#: of state money or property.
VISIT_REPORT_KIND = "state_funds"
#: Long URLs break in some browsers and proxies; the member can add more on the form.
MAX_DESCRIPTION = 1500


def visit_facts(visit: Visit) -> str:
    """The facts of a visit as plain text (the language of the page)."""
    lines = [
        _("Monitoring visit on %(date)s by %(organization)s.")
        % {
            "date": format_date(visit.visited_on),
            "organization": visit.organization.name,
        },
        _("Project or site: %(title)s") % {"title": visit.project_title},
    ]
    if visit.project_reference:
        lines.append(_("Project reference: %(ref)s") % {"ref": visit.project_reference})
    problems = [
        answer for answer in visit.answers.select_related("question") if answer.answer == Answer.NO
    ]
    if problems:
        lines.append(_("Checklist questions answered “no”:"))
        for answer in problems:
            note = f" — {answer.note}" if answer.note else ""
            lines.append(f"- {answer.question.text}{note}")
    if visit.notes:
        lines.append(_("Notes: %(notes)s") % {"notes": visit.notes})
    text = "\n".join(lines)
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def visit_report_url(visit: Visit) -> str:
    """``/report/?kind=…&subdistrict=…&village=…&description=…&channel=visit``."""
    params = {
        "kind": VISIT_REPORT_KIND,
        "subdistrict": visit.subdistrict_id,
        "village": visit.village,
        "description": visit_facts(visit),
        "channel": "visit",
    }
    return f"{INTAKE_PATH}?{urlencode(params)}"
