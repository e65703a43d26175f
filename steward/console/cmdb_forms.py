"""UI input parsing for the CMDB pages: list filters, the CI edit form generated from the
class's typed attribute definitions, status actions and relations. Business validation
(attribute types, bounds, references, permissions) lives in ``cmdb.services``; its errors
come back onto the field they name (``attributes.<key>`` → ``attr_<key>``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from steward.catalogue.models import Criticality
from steward.cmdb.models import CiEnvironment, CiStatus, RelationKind
from steward.core.errors import DomainError
from steward.identity.models import Person, Site

ATTR = "attr_"


def label_of(spec: dict[str, Any], language: str | None = None) -> str:
    """An attribute's label in the user's language (Chinese when no English label)."""
    lang = language or get_language() or "zh-hans"
    text = spec.get("label_en") if lang.startswith("en") else None
    return str(text or spec.get("label") or spec["key"])


def help_of(spec: dict[str, Any]) -> str:
    lang = get_language() or "zh-hans"
    text = spec.get("help_en") if lang.startswith("en") else None
    return str(text or spec.get("help") or "")


def choice_label(spec: dict[str, Any], value: Any) -> str:
    lang = get_language() or "zh-hans"
    for choice in spec.get("choices") or []:
        if choice["value"] == value:
            text = choice.get("label_en") if lang.startswith("en") else None
            return str(text or choice.get("label") or value)
    return str(value)


class CiFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), max_length=200, required=False,
        help_text=_("CI id, name, or an attribute as key=value"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    ci_class = forms.ChoiceField(label=_("Class"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CiStatus.choices]
    )
    site = forms.CharField(
        label=_("Site"), required=False, max_length=32,
        widget=forms.TextInput(attrs={"placeholder": _("Site code"), "size": 8,
                                      "autocomplete": "off"}),
    )
    team = forms.ChoiceField(label=_("Support team"), required=False)
    environment = forms.ChoiceField(
        label=_("Environment"), required=False,
        choices=[("", _("Any environment")), *CiEnvironment.choices],
    )
    criticality = forms.TypedChoiceField(
        label=_("Criticality"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Any criticality")), *Criticality.choices],
    )

    def __init__(
        self, *args: Any, classes: list[tuple[str, str]], teams: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices, empty in (
            ("ci_class", classes, _("Any class")),
            ("team", teams, _("Any team")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", empty), *choices]


_WIDGETS: dict[str, type[forms.Widget]] = {
    "integer": forms.NumberInput,
    "decimal": forms.NumberInput,
    "date": forms.DateInput,
}


def _attribute_field(spec: dict[str, Any]) -> forms.Field:
    kind = spec["type"]
    common: dict[str, Any] = {
        "label": label_of(spec), "required": bool(spec.get("required")),
        "help_text": help_of(spec),
    }
    if kind == "choice":
        return forms.ChoiceField(
            choices=[("", "—"), *((c["value"], choice_label(spec, c["value"]))
                                  for c in spec["choices"])],
            **common,
        )
    attrs: dict[str, Any] = {"autocomplete": "off"}
    if kind == "date":
        attrs["type"] = "date"
    if kind in ("integer", "decimal"):
        attrs |= {k: spec[k] for k in ("min", "max") if k in spec}
        attrs["step"] = "1" if kind == "integer" else "any"
    if kind == "reference":
        attrs["placeholder"] = "CI-000123"
    if kind == "person":
        common["help_text"] = common["help_text"] or _("User name")
    widget = _WIDGETS.get(kind, forms.TextInput)(attrs=attrs)
    return forms.CharField(max_length=int(spec.get("max_length", 200)) + 50, widget=widget,
                           **common)


class CiEditForm(forms.Form):
    """The fields of ``ci_update`` plus one field per attribute of the CI's class."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=_("Owner"), required=False, max_length=150,
                            help_text=_("User name"))
    support_team = forms.ChoiceField(label=_("Support team"), required=False)
    site = forms.CharField(label=_("Site"), required=False, max_length=32,
                           help_text=_("Site code, e.g. S0001"))
    criticality = forms.TypedChoiceField(label=_("Criticality"), coerce=int,
                                         choices=Criticality.choices)
    environment = forms.ChoiceField(label=_("Environment"), choices=CiEnvironment.choices)
    change_number = forms.CharField(
        label=_("Change record"), required=False, max_length=32,
        help_text=_("The change that authorises this edit, e.g. CHG-000123."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, definitions: list[dict[str, Any]], teams: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = definitions
        field = self.fields["support_team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *teams]
        for spec in definitions:
            self.fields[ATTR + spec["key"]] = _attribute_field(spec)

    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[ATTR + spec["key"]] for spec in self.definitions]

    def base_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "description", "owner", "support_team", "site",
                                        "criticality", "environment")]

    def clean_owner(self) -> Person | None:
        username = self.cleaned_data["owner"].strip()
        if not username:
            return None
        person = Person.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No active person with that user name."))
        return person

    def clean_site(self) -> Site | None:
        code = self.cleaned_data["site"].strip()
        if not code:
            return None
        site = Site.objects.filter(code__iexact=code).first()
        if site is None:
            raise forms.ValidationError(_("No site with that code."))
        return site

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for spec in self.definitions:
            name = ATTR + spec["key"]
            if spec["type"] == "person" and (value := str(data.get(name) or "").strip()):
                person = Person.objects.filter(username=value, is_active=True).first()
                if person is None:
                    self.add_error(name, _("No active person with that user name."))
                else:
                    data[name] = person.pk
        return data

    def add_domain_error(self, error: DomainError) -> None:
        """Put a service error on the field it names (a stale version is a form error)."""
        field = error.field or ""
        if field.startswith("attributes."):
            field = ATTR + field.removeprefix("attributes.")
        self.add_error(field if field in self.fields and field != "version" else None,
                       error.message)


def ci_edit_initial(ci: Any, definitions: list[dict[str, Any]]) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "name": ci.name, "description": ci.description,
        "owner": ci.owner.username if ci.owner_id else "",
        "support_team": ci.support_team.code if ci.support_team_id else "",
        "site": ci.site.code if ci.site_id else "",
        "criticality": ci.criticality, "environment": ci.environment, "version": ci.version,
    }
    people = {
        p.pk: p.username for p in Person.objects.filter(
            pk__in=[ci.attributes.get(s["key"]) for s in definitions if s["type"] == "person"
                    and isinstance(ci.attributes.get(s["key"]), int)]
        )
    }
    for spec in definitions:
        value = ci.attributes.get(spec["key"])
        initial[ATTR + spec["key"]] = people.get(value, "") if spec["type"] == "person" else (
            "" if value is None else value
        )
    return initial


class CiActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    change_number = forms.CharField(label=_("Change record"), required=False, max_length=32)


class RelationAddForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("This CI"),
        choices=[("out", _("is the source")), ("in", _("is the target"))], initial="out",
    )
    kind = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    other = forms.CharField(label=_("Other CI"), max_length=16,
                            widget=forms.TextInput(attrs={"placeholder": "CI-000123"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    change_number = forms.CharField(label=_("Change record"), required=False, max_length=32)


class RelationRemoveForm(forms.Form):
    change_number = forms.CharField(label=_("Change record"), required=False, max_length=32)
