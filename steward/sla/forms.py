"""UI input parsing for the service-level pages (calendars, the compliance report, improvement
actions). No save side effects and no business rules: the views hand ``cleaned_data`` to
``steward.sla.services``, which validate (window bounds and overlaps, permissions, ...)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.identity.models import Person
from steward.sla.models import ExceptionKind, MetricKind
from steward.sla.reporting import DIMENSIONS

MAX_ICS_BYTES = 1024 * 1024
MAX_REPORT_MONTHS = 36
_WINDOW = re.compile(r"(\d{1,2}):(\d{2})\s*[-–—~至]\s*(\d{1,2}):(\d{2})")
_SEPARATORS = " ,，;；、\t\r\n"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

DIMENSION_LABELS: dict[str, Any] = {
    "agreement": _("Agreement"),
    "metric": _("Metric"),
    "priority": _("Priority"),
    "service": _("Service"),
    "customer": _("Customer"),
    "month": _("Month"),
}


def parse_windows(text: str) -> list[list[int]]:
    """``"09:00-12:00, 13:00-18:00"`` → ``[[540, 720], [780, 1080]]`` (24:00 is 1440)."""
    windows, position = [], 0
    for match in _WINDOW.finditer(text):
        if text[position : match.start()].strip(_SEPARATORS):
            break
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if m1 > 59 or m2 > 59 or h1 > 24 or h2 > 24:
            raise forms.ValidationError(
                _("%(part)s is not a time of day."), params={"part": match.group(0)}, code="format"
            )
        windows.append([h1 * 60 + m1, h2 * 60 + m2])
        position = match.end()
    if text[position:].strip(_SEPARATORS):
        raise forms.ValidationError(
            _("Write hours as 09:00-12:00, separated by commas."), code="format"
        )
    return windows


def parse_month(text: str) -> dt.date:
    """``"2026-03"`` → 2026-03-01."""
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise forms.ValidationError(_("Enter a month as YYYY-MM."), code="format")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """``YYYY-MM`` of every month from ``start`` up to (not including) ``end``."""
    months, day = [], start.replace(day=1)
    while day < end:
        months.append(day.strftime("%Y-%m"))
        day = next_month(day)
    return months


class CalendarExceptionForm(forms.Form):
    """Add or replace the exception of one date (``calendar_set_exception``)."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=ExceptionKind.choices)
    windows = forms.CharField(
        label=_("Hours"),
        max_length=200,
        required=False,
        help_text=_(
            "For custom hours or an extra working day, e.g. 09:00-12:00, 13:00-18:00. "
            "Empty for a holiday; an extra working day without hours works the "
            "Monday hours."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False)

    def clean_windows(self) -> list[list[int]]:
        return parse_windows(self.cleaned_data["windows"])


class CalendarYearForm(forms.Form):
    """A year to load from the official data or to confirm by hand."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class CalendarIcsForm(forms.Form):
    file = forms.FileField(
        label=_("iCalendar file (.ics)"),
        help_text=_(
            "Every all-day event becomes a holiday; days an administrator entered by hand are kept."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ICS_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."), code="size")
        return upload


class ComplianceReportForm(forms.Form):
    """The period (whole months, both ends included) and the grouping of the report."""

    start = forms.CharField(
        label=_("From month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    end = forms.CharField(
        label=_("To month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    by = forms.MultipleChoiceField(
        label=_("Group by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(d, DIMENSION_LABELS[d]) for d in DIMENSIONS],
    )

    @staticmethod
    def initial_for(today: dt.date) -> dict[str, Any]:
        """The last six months, this one included, by agreement and metric."""
        first = today.replace(day=1)
        for _month in range(5):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        return {
            "start": first.strftime("%Y-%m"),
            "end": today.strftime("%Y-%m"),
            "by": ["agreement", "metric"],
        }

    def clean_start(self) -> dt.date:
        return parse_month(self.cleaned_data["start"])

    def clean_end(self) -> dt.date:
        return parse_month(self.cleaned_data["end"])

    def clean_by(self) -> list[str]:
        chosen = set(self.cleaned_data["by"])
        return [d for d in DIMENSIONS if d in chosen]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last month comes before the first."))
            elif len(months_between(start, next_month(end))) > MAX_REPORT_MONTHS:
                self.add_error("end", _("Choose at most %(n)d months.") % {"n": MAX_REPORT_MONTHS})
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        """``[start, end)`` as dates, for the reporting selectors and the export API."""
        return self.cleaned_data["start"], next_month(self.cleaned_data["end"])


class ImprovementActionForm(forms.Form):
    """The improvement action a missed month requires (``improvement_action_create``)."""

    agreement = forms.CharField(widget=forms.HiddenInput, max_length=32)
    metric = forms.ChoiceField(widget=forms.HiddenInput, choices=MetricKind.choices)
    period = forms.RegexField(widget=forms.HiddenInput, regex=r"^\d{4}-\d{2}$", max_length=7)
    description = forms.CharField(
        label=_("Action"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(
        label=_("Owner"),
        max_length=150,
        help_text=_("The user name of who carries it out."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._people = people

    def clean_owner(self) -> Person:
        username = self.cleaned_data["owner"].strip()
        owner = self._people.filter(username__iexact=username).first()
        if owner is None:
            raise forms.ValidationError(
                _("Nobody has the user name %(name)s."),
                params={"name": username},
            )
        return owner  # type: ignore[no-any-return]
