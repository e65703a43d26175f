"""UI input parsing for incident pages (portal and console). No save side effects.

Each form mirrors an API input schema (``schemas.py``); the business rules (required reasons,
allowed resolution codes, the transition table, permissions) live in the services, so a form
only checks the shape of the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.incidents.models import HoldReason, Impact, Priority, ResolutionCode, Urgency
from steward.incidents.services.comments import BODY_MAX

REASON_MAX = 2000


def _choices(enum: Any, *, blank: Any = None) -> list[tuple[Any, Any]]:
    choices = list(enum.choices)
    return [("", blank), *choices] if blank is not None else choices


class ReportForm(forms.Form):
    """A requester reports a problem (``IncidentCreateIn``, portal subset)."""

    title = forms.CharField(
        label=_("What is wrong?"), max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "next"}),
    )
    description = forms.CharField(
        label=_("Details"), required=False, max_length=BODY_MAX,
        help_text=_("What happened, since when, and what you already tried."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent is it?"), coerce=int, choices=_choices(Urgency),
        initial=Urgency.LOW, widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Photo or file"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf,.txt,.log"}),
    )
    ci = forms.ChoiceField(
        label=_("Which device or system?"), required=False,
        help_text=_("If you know it: for example the till or the router of your store."),
    )

    def __init__(self, *args: Any, cis: Sequence[Any] = (), **kwargs: Any) -> None:
        """``cis``: the configuration items at hand to choose from (none: no such field)."""
        super().__init__(*args, **kwargs)
        if not cis:
            del self.fields["ci"]
            return
        field = self.fields["ci"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("I don't know")), *(
            (ci.ci_id, f"{ci.name} · {ci.ci_class.display_name()}") for ci in cis
        )]


class CommentForm(forms.Form):
    """A reply (``CommentIn``); the choice of a work note is offered to agents only (an
    absent ``public`` means a public reply)."""

    body = forms.CharField(
        label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    public = forms.ChoiceField(
        label=_("Who sees it"),
        choices=[("public", _("Public reply (the requester sees it)")),
                 ("internal", _("Internal work note"))],
        initial="public", required=False, widget=forms.RadioSelect,
    )


class ReasonForm(forms.Form):
    """A reason for reopening or cancelling (``IncidentReasonIn``)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class HoldForm(forms.Form):
    """Why the incident waits (``IncidentHoldIn``)."""

    reason = forms.ChoiceField(label=_("Waiting for"), choices=_choices(HoldReason))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolveForm(forms.Form):
    """Resolution code and note (``IncidentResolveIn``)."""

    resolution_code = forms.ChoiceField(
        label=_("Resolution code"), choices=_choices(ResolutionCode, blank="—")
    )
    resolution_note = forms.CharField(
        label=_("Resolution note"), max_length=REASON_MAX,
        help_text=_("The requester sees this note."), widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    """A team and/or an agent (``IncidentAssignIn``); choices come from the view."""

    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    assignee = forms.TypedChoiceField(
        label=_("Agent"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        teams: list[tuple[int, str]],
        agents: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, options in (("team", teams), ("assignee", agents)):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", "—"), *options]


class PriorityForm(forms.Form):
    """Re-classification with a mandatory reason (``IncidentPriorityIn``)."""

    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int, choices=_choices(Impact))
    urgency = forms.TypedChoiceField(label=_("Urgency"), coerce=int, choices=_choices(Urgency))
    priority = forms.TypedChoiceField(
        label=_("Priority override"), coerce=int, required=False, empty_value=None,
        choices=_choices(Priority, blank=_("From the matrix")),
        help_text=_("Leave empty to take the priority from impact × urgency."),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=REASON_MAX)


class IncidentEditForm(forms.Form):
    """Plain fields with the version the editor read (``IncidentUpdateIn``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.CharField(label=_("Category"), max_length=64, required=False)
    subcategory = forms.CharField(label=_("Subcategory"), max_length=64, required=False)


class QueueFilterForm(forms.Form):
    """Filters of the console incident queues (``IncidentListParams``, UI subset)."""

    q = forms.CharField(
        label=_("Number or title"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    ci = forms.CharField(
        label=_("Configuration item"), max_length=16, required=False,
        help_text=_("A CI id, e.g. CI-000012"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, widget=forms.CheckboxSelectMultiple
    )
    priority = forms.TypedMultipleChoiceField(
        label=_("Priority"), coerce=int, required=False, choices=_choices(Priority),
        widget=forms.CheckboxSelectMultiple,
    )
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, statuses: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = statuses
