"""Forms of classification on the console incident page: the configuration item and moving
the incident to another service. Shape only: the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.incidents.forms import REASON_MAX


class CiForm(forms.Form):
    """The configuration item (``IncidentUpdateIn.ci_id``), with the version the editor read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    ci_id = forms.CharField(
        label=_("Configuration item"), max_length=16, required=False,
        help_text=_("Its CI id, e.g. CI-000012; leave empty to remove it."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ReclassifyForm(forms.Form):
    """Move the incident to another service (``IncidentReclassifyIn``); a reason is required."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    service_id = forms.TypedChoiceField(
        label=_("New service"), coerce=int, required=False, empty_value=None,
        help_text=_(
            "The SLA follows the service: the current clocks are cancelled and the new "
            "service's agreements count from when the incident was opened."
        ),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=REASON_MAX)

    def __init__(self, *args: Any, services: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("No service")), *services]
