"""UI input parsing for routing rules, team assignment and escalation. No save side effects;
the rules live in the services (``services.routing``, ``team_assignment``, ``escalation``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.catalogue.models import Service
from steward.identity.models import Site, SiteGroup, Team
from steward.incidents.models import AssignmentStrategy

REASON_MAX = 2000


class RoutingRuleForm(forms.Form):
    """A rule's conditions and team (``RoutingRuleIn``)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    team = forms.ModelChoiceField(
        label=_("Send to team"), queryset=Team.objects.filter(is_active=True)
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.all(), required=False
    )
    category = forms.CharField(label=_("Category"), max_length=64, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.all(), required=False)
    site_group = forms.ModelChoiceField(
        label=_("Site group"), queryset=SiteGroup.objects.all(), required=False
    )
    keywords = forms.CharField(
        label=_("Keywords"), required=False, max_length=2000,
        help_text=_("One per line or separated by commas; any one found in the title or "
                    "description matches (any case, Chinese or English)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    vip_only = forms.BooleanField(label=_("Only VIP requesters"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StrategyForm(forms.Form):
    strategy = forms.ChoiceField(label=_("Assignment"), choices=AssignmentStrategy.choices)


class AvailabilityForm(forms.Form):
    available = forms.TypedChoiceField(
        label=_("Available"), coerce=lambda v: v == "1", choices=[("1", _("yes")), ("0", _("no"))]
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class EscalateFunctionalForm(forms.Form):
    """Functional escalation: the new team and why (``EscalateIn``)."""

    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *teams]


class EscalateHierarchicalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
