"""UI input parsing for time entries (``TimeEntryIn``). The rules live in ``time_services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.workitems.time_models import ActivityType


class TimeEntryForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes"), widget=forms.NumberInput(attrs={"min": 1, "max": 1440, "step": 5})
    )
    work_date = forms.DateField(
        label=_("Work date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"), queryset=ActivityType.objects.filter(is_active=True),
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
