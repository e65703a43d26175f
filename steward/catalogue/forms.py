"""UI input parsing for the catalogue pages. No save side effects: views hand ``cleaned_data``
to ``steward.catalogue.services``, which hold the rules. Choices come from the selectors (the
view passes them in)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from steward.catalogue.models import (
    Criticality,
    Service,
    ServiceCategory,
    ServiceKind,
    ServiceLifecycle,
    ServiceVisibility,
)
from steward.identity.models import Person, Team


def _all(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class ServiceFilterForm(forms.Form):
    """The filters above the console's service list (all optional)."""

    q = forms.CharField(
        label=_("Search"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    lifecycle = forms.ChoiceField(
        label=_("Lifecycle"), required=False,
        choices=[*_all(_("All lifecycles")), *ServiceLifecycle.choices],
    )
    criticality = forms.TypedChoiceField(
        label=_("Criticality"), required=False, coerce=int, empty_value=None,
        choices=[*_all(_("All criticalities")), *Criticality.choices],
    )

    def __init__(self, *args: Any, categories: Iterable[ServiceCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [*_all(_("All categories")), *((c.code, str(c)) for c in categories)]


class ServiceEditForm(forms.Form):
    """The fields of a service an administrator or its owner edits (``service_update``)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("English description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ServiceCategory.objects.none(), required=False,
        empty_label=_("(none)"),
    )
    owner = forms.CharField(
        label=_("Owner"), max_length=150, help_text=_("The service owner's user name."),
    )
    support_team = forms.ModelChoiceField(label=_("Support team"), queryset=Team.objects.none())
    criticality = forms.TypedChoiceField(
        label=_("Criticality"), coerce=int, choices=Criticality.choices
    )
    lifecycle = forms.ChoiceField(label=_("Lifecycle"), choices=ServiceLifecycle.choices)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=ServiceVisibility.choices)
    availability_target = forms.DecimalField(
        label=_("Availability target (%)"), max_digits=6, decimal_places=3,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    keywords = forms.CharField(
        label=_("Search keywords"), max_length=300, required=False,
        help_text=_("Words people may search for in the portal, separated by spaces."),
    )

    def __init__(
        self, *args: Any, categories: QuerySet[ServiceCategory], teams: QuerySet[Team],
        people: QuerySet[Person], **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._people = people
        for name, queryset in (("category", categories), ("support_team", teams)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    @staticmethod
    def initial_for(service: Service) -> dict[str, Any]:
        return {
            "name": service.name, "name_en": service.name_en,
            "description": service.description, "description_en": service.description_en,
            "kind": service.kind, "category": service.category_id, "owner": service.owner.username,
            "support_team": service.support_team_id, "criticality": service.criticality,
            "lifecycle": service.lifecycle, "visibility": service.visibility,
            "availability_target": service.availability_target, "keywords": service.keywords,
        }

    def clean_owner(self) -> Person:
        username = self.cleaned_data["owner"].strip()
        owner = self._people.filter(username__iexact=username).first()
        if owner is None:
            raise forms.ValidationError(
                _("Nobody has the user name %(name)s."), params={"name": username},
            )
        return owner


# ---------- request forms held as data (steward.catalogue.formdef) ----------

def _localised(spec: dict[str, Any], key: str, language: str) -> str:
    english = spec.get(f"{key}_en") if language.startswith("en") else None
    return str(english or spec.get(key) or "")


def _field_for(spec: dict[str, Any], language: str, disabled: bool) -> forms.Field:
    kind = spec["type"]
    common: dict[str, Any] = {
        "label": _localised(spec, "label", language),
        "required": bool(spec.get("required")),
        "disabled": disabled,
        # _field.html marks help text safe: text held as data is escaped here.
        "help_text": conditional_escape(_localised(spec, "help", language)),
    }
    choices = [
        (str(c.get("value")), _localised(c, "label", language) or str(c.get("value")))
        for c in spec.get("choices") or []
    ]
    if kind == "long_text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if kind == "multi_choice":
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "number":
        limits: dict[str, Any] = {k: spec[k] for k in ("min", "max") if k in spec}
        return forms.DecimalField(widget=forms.NumberInput(attrs=limits), **common)
    if kind == "attachment":
        return forms.FileField(**common)
    attrs: dict[str, Any] = {}
    if kind == "text" and spec.get("pattern"):
        attrs["pattern"] = str(spec["pattern"])
    if kind == "person":
        attrs["autocomplete"] = "off"
    return forms.CharField(
        max_length=spec.get("max_length"), widget=forms.TextInput(attrs=attrs), **common
    )


def request_form(
    definition: list[dict[str, Any]], *, language: str, disabled: bool = False,
    prefix: str | None = None, data: Any = None,
) -> forms.Form:
    """A Django form with one field per field of a request item's form definition.

    The console shows it disabled as a preview; the intake of requests can use it to parse
    answers, which ``formdef.clean_answers`` then checks.
    """
    form = forms.Form(data, prefix=prefix)
    for spec in definition:
        form.fields[spec["key"]] = _field_for(spec, language, disabled)
    return form
