"""UI input of satisfaction: a rating, complaint actions and notes, the CSAT period. Shape
only; the rules (range, one rating, who) live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.identity.models import Person
from steward.satisfaction.csat import DIMENSIONS
from steward.satisfaction.models import RATING_MAX, RATING_MIN

RATING_LABELS = {
    1: _("1 – very dissatisfied"),
    2: _("2 – dissatisfied"),
    3: _("3 – neutral"),
    4: _("4 – satisfied"),
    5: _("5 – very satisfied"),
}


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"), coerce=int, widget=forms.RadioSelect,
        choices=[(n, RATING_LABELS[n]) for n in range(RATING_MAX, RATING_MIN - 1, -1)],
        error_messages={"required": _("Choose a rating from 1 to 5."),
                        "invalid_choice": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ComplaintActionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("Outcome for the customer"), required=False,
                              max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ComplaintNoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class CsatForm(forms.Form):
    by = forms.ChoiceField(label=_("Group by"), choices=list(DIMENSIONS.items()),
                           required=False)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"since": data.get("since"), "until": data.get("until")}


class ComplaintAssignForm(forms.Form):
    owner: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("Hand over to"), queryset=Person.objects.none()
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = owners
