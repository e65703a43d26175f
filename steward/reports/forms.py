"""The console's report form: period (both days included), grouping and filters. Input
parsing only; the codes become ids through ``params`` (the same path as the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.catalogue.models import Service
from steward.identity.models import Department, Site, Team
from steward.incidents.models import IncidentChannel, Priority
from steward.reports import params
from steward.reports.query import Filters, Period

GROUPING_LABELS: dict[str, Any] = {
    "total": _("Whole service desk"),
    "team": _("Team"),
    "engineer": _("Engineer"),
    "department": _("Department"),
    "site": _("Site"),
    "service": _("Service"),
    "priority": _("Priority"),
    "channel": _("Channel"),
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _coded(model: Any) -> list[tuple[str, Any]]:
    return [("", _("All"))] + [(o.code, f"{o.code} {o}") for o in model.objects.order_by("code")]


class IncidentReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To (included)"), widget=DATE)
    by = forms.ChoiceField(
        label=_("Group by"), required=False, choices=list(GROUPING_LABELS.items())
    )
    service = forms.ChoiceField(label=_("Service"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    site = forms.ChoiceField(label=_("Site"), required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"), required=False, coerce=int, empty_value=None,
        choices=[("", _("All")), *Priority.choices],
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *IncidentChannel.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, model in (("service", Service), ("team", Team), ("department", Department),
                            ("site", Site)):
            self.fields[name].choices = _coded(model)  # type: ignore[attr-defined]

    @staticmethod
    def presets(today: dt.date) -> list[tuple[Any, dt.date, dt.date]]:
        """Quick periods for the picker: (label, first day, last day)."""
        this_month = today.replace(day=1)
        last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
        three_back = this_month
        for _month in range(2):
            three_back = (three_back - dt.timedelta(days=1)).replace(day=1)
        return [
            (_("This month"), this_month, today),
            (_("Last month"), last_month, this_month - dt.timedelta(days=1)),
            (_("Last three months"), three_back, today),
            (_("This year"), today.replace(month=1, day=1), today),
        ]

    @staticmethod
    def initial_for(today: dt.date, by: str = "total") -> dict[str, Any]:
        """This month so far."""
        return {"start": today.replace(day=1).isoformat(), "end": today.isoformat(), "by": by}

    def clean_by(self) -> str:
        return str(self.cleaned_data.get("by") or "total")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end must not be before the start."))
            elif (end - start).days >= params.MAX_DAYS:
                self.add_error("start", _("A report covers at most three years."))
        return cleaned

    def period(self) -> Period:
        data = self.cleaned_data
        return Period(data["start"], data["end"] + dt.timedelta(days=1))

    def filters(self) -> Filters:
        data = self.cleaned_data
        return params.filters_of(
            service=data.get("service") or None, team=data.get("team") or None,
            department=data.get("department") or None, site=data.get("site") or None,
            priority=data.get("priority"), channel=data.get("channel") or "",
        )

    def query(self) -> dict[str, str]:
        """The API query of the same report (for the export links)."""
        data, period = self.cleaned_data, self.period()
        query = {"start": period.start.isoformat(), "end": period.end.isoformat(),
                 "by": data["by"]}
        for name in ("service", "team", "department", "site", "channel"):
            if data.get(name):
                query[name] = data[name]
        if data.get("priority") is not None:
            query["priority"] = str(data["priority"])
        return query
