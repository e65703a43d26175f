"""UI input parsing of service requests: a Django form built from a request item version's
form definition (all nine field types), the approval decision and the delegation forms.
No save side effects; the answers' business rules are checked by ``request_submit``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from steward.catalogue.models import RequestItemVersion
from steward.identity.models import Person


def _text(spec: dict[str, Any], name: str) -> str:
    english = (get_language() or "").startswith("en")
    return str(spec.get(f"{name}_en") or spec.get(name, "")) if english else str(
        spec.get(name, ""))


def _choices(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["value"], _text(c, "label") or c["value"]) for c in spec.get("choices", [])]


def _field(spec: dict[str, Any]) -> forms.Field:
    common: dict[str, Any] = {
        "label": _text(spec, "label"), "help_text": _text(spec, "help"),
        "required": bool(spec.get("required")),
    }
    kind = spec["type"]
    if kind == "text":
        return forms.CharField(max_length=int(spec.get("max_length", 200)), **common)
    if kind == "long_text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *_choices(spec)], **common)
    if kind == "multi_choice":
        return forms.MultipleChoiceField(
            choices=_choices(spec), widget=forms.CheckboxSelectMultiple, **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "number":
        return forms.DecimalField(**common)
    if kind == "attachment":
        return forms.FileField(**common)
    if kind == "person":
        common["help_text"] = common["help_text"] or _("The person's user name.")
        return forms.CharField(max_length=150, **common)
    common["help_text"] = common["help_text"] or _("The configuration item's id, e.g. CI-000123.")
    return forms.CharField(max_length=16, **common)  # ci


class RequestForm(forms.Form):
    """The item version's fields (named after their keys) plus an optional note."""

    note = forms.CharField(
        label=_("Anything else we should know?"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, version: RequestItemVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        note = self.fields.pop("note")
        for spec in version.form:
            self.fields[spec["key"]] = _field(spec)
        self.fields["note"] = note

    def answers(self) -> dict[str, Any]:
        """Answers in the service's shape (files go through ``uploads``)."""
        found: dict[str, Any] = {}
        for spec in self.version.form:
            key, kind = spec["key"], spec["type"]
            value = self.cleaned_data.get(key)
            if kind == "attachment" or value in (None, "", []):
                continue
            if kind == "person":
                person = Person.objects.filter(username__iexact=str(value).strip()).first()
                value = person.pk if person is not None else str(value)
            elif kind == "date":
                value = value.isoformat()
            elif kind == "number":
                value = str(value)
            found[key] = value
        return found

    def uploads(self) -> dict[str, Any]:
        return {
            spec["key"]: self.cleaned_data[spec["key"]] for spec in self.version.form
            if spec["type"] == "attachment" and self.cleaned_data.get(spec["key"])
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("approved", _("Approve")), ("rejected", _("Reject"))],
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject: the requester is told why."),
    )


class LinkDecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DelegationForm(forms.Form):
    delegate = forms.CharField(label=_("Delegate (user name)"), max_length=150)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


class TextForm(forms.Form):
    text = forms.CharField(label=_("Reason"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(
        label=_("Visible to the requester"), required=False, initial=True,
        help_text=_("Unticked: an internal work note for the people fulfilling it."),
    )
