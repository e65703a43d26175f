"""UI input parsing of major incidents, links, merging, bulk edits and saved views.
No save side effects; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.incidents.forms import REASON_MAX, _choices
from steward.incidents.models import Audience, CommsChannel, HoldReason, Priority
from steward.incidents.services.major_comms import MESSAGE_MAX


class NumberForm(forms.Form):
    """Another incident by number: the parent to link to, the record to merge into."""

    number = forms.CharField(
        label=_("Incident number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "INC-000123"}),
    )


class DeclareForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this a major incident?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommsForm(forms.Form):
    """A communication (``CommsIn``)."""

    audiences = forms.MultipleChoiceField(
        label=_("Audiences"), choices=_choices(Audience), widget=forms.CheckboxSelectMultiple
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=_choices(CommsChannel), initial=CommsChannel.NOTIFICATION
    )
    message = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class OwnerForm(forms.Form):
    """The major-incident manager and the update interval (``MajorOwnerIn``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    owner = forms.TypedChoiceField(label=_("Major-incident manager"), coerce=int)
    update_interval_minutes = forms.IntegerField(
        label=_("Update every (minutes)"), min_value=5, max_value=1440
    )

    def __init__(self, *args: Any, agents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = agents


REVIEW_ROWS = 5


class ReviewForm(forms.Form):
    """The review (``MajorReviewIn``): text, up to ``REVIEW_ROWS`` actions (a row left empty is
    ignored), and whether it is complete."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    timeline_summary = forms.CharField(
        label=_("Timeline summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    cause = forms.CharField(
        label=_("Cause"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, REVIEW_ROWS + 1):
            self.fields[f"action_{n}"] = forms.CharField(
                label=_("Action %(n)d") % {"n": n}, max_length=2000, required=False
            )
            self.fields[f"action_{n}_owner"] = forms.TypedChoiceField(
                label=_("Owner"),
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "—"), *agents],
            )
            self.fields[f"action_{n}_due"] = forms.DateField(
                label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
        self.fields["complete"] = forms.BooleanField(
            label=_("The review is complete (it can no longer be changed)"), required=False
        )

    def action_rows(self) -> list[dict[str, Any]]:
        """The filled rows as ``(description, owner id, due date)`` dicts."""
        rows = []
        for n in range(1, REVIEW_ROWS + 1):
            values = [
                self.cleaned_data.get(f"action_{n}{suffix}") for suffix in ("", "_owner", "_due")
            ]
            if any(values):
                rows.append(
                    {"description": values[0] or "", "owner_id": values[1], "due_on": values[2]}
                )
        return rows


BULK_OPERATIONS = [
    ("assign", _("Assign")),
    ("priority", _("Set the priority")),
    ("hold", _("Put on hold")),
    ("note", _("Add a work note")),
]


class BulkForm(forms.Form):
    """A bulk edit of the selected queue rows (``BulkIn``)."""

    numbers = forms.MultipleChoiceField(label=_("Incidents"), widget=forms.MultipleHiddenInput)
    operation = forms.ChoiceField(label=_("Do"), choices=BULK_OPERATIONS)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    assignee = forms.TypedChoiceField(
        label=_("Agent"), coerce=int, required=False, empty_value=None
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=_choices(Priority, blank="—"),
    )
    reason = forms.CharField(
        label=_("Reason for the priority"), required=False, max_length=REASON_MAX
    )
    hold_reason = forms.ChoiceField(
        label=_("Waiting for"), required=False, choices=_choices(HoldReason, blank="—")
    )
    note = forms.CharField(
        label=_("Work note"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, teams: list[tuple[int, str]], agents: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, options in (("team", teams), ("assignee", agents)):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", "—"), *options]
        numbers = self.fields["numbers"]
        assert isinstance(numbers, forms.MultipleChoiceField)
        given = self.data.getlist("numbers") if hasattr(self.data, "getlist") else []
        numbers.choices = [(n, n) for n in given]


class SavedViewForm(forms.Form):
    """Save the queue's current filters under a name (``SavedViewIn``)."""

    name = forms.CharField(label=_("Name"), max_length=80)
    team = forms.TypedChoiceField(
        label=_("Share with"), coerce=int, required=False, empty_value=None
    )
    filters = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Only me")), *teams]
