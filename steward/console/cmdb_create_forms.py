"""UI input parsing for creating things in the CMDB console: a new CI (the edit form of
``cmdb_forms`` plus status, class and service), CI classes and their attributes, redundancy
groups, assets and licences. Business rules stay in ``cmdb.services``; their errors come
back onto the field they name."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.cmdb.models import AssetLifecycle, CiStatus
from steward.console.cmdb_forms import CiEditForm
from steward.core.errors import DomainError

TYPE_LABELS = {
    "string": _("Text"),
    "integer": _("Whole number"),
    "decimal": _("Decimal number"),
    "date": _("Date"),
    "choice": _("Choice"),
    "reference": _("Reference to a CI"),
    "ip_address": _("IP address"),
    "person": _("Person"),
}


class DomainErrorMixin:
    """Put a service error on the field it names (or on the form, if it names none here)."""

    field_map: dict[str, str] = {}

    def add_domain_error(self, error: DomainError) -> None:
        field = error.field or ""
        field = self.field_map.get(field, field)
        fields: dict[str, Any] = self.fields  # type: ignore[attr-defined]
        self.add_error(  # type: ignore[attr-defined]
            field if field in fields else None, error.message
        )


class ClassPickForm(forms.Form):
    ci_class = forms.ChoiceField(label=_("Class"))

    def __init__(self, *args: Any, classes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ci_class"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = classes


class CiCreateForm(CiEditForm):
    """``ci_create``: the edit form's fields and attributes, plus status and service."""

    status = forms.ChoiceField(
        label=_("Status"), initial=CiStatus.IN_USE,
        choices=[(CiStatus.PLANNED, CiStatus.PLANNED.label),
                 (CiStatus.IN_USE, CiStatus.IN_USE.label)],
    )
    service = forms.ChoiceField(
        label=_("Catalogue service"), required=False,
        help_text=_("Only for a CI that stands for a catalogue service."),
    )
    change_number = forms.CharField(
        label=_("Change record"), required=False, max_length=32,
        help_text=_("The change that authorises this CI, e.g. CHG-000123."),
    )

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        field = self.fields["service"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *services]

    def base_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "description", "status", "owner",
                                        "support_team", "site", "criticality",
                                        "environment", "service")]


class ClassCreateForm(DomainErrorMixin, forms.Form):
    parent = forms.ChoiceField(label=_("Parent class"), required=False)
    code = forms.CharField(label=_("Code"), max_length=32,
                           help_text=_("Lower-case letters, digits or _, e.g. pos_terminal."))
    name = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    under_change_control = forms.BooleanField(
        label=_("Under change control"), required=False,
        help_text=_("Changes without a change record are recorded as unauthorised."),
    )

    def __init__(self, *args: Any, classes: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "class")
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None (a top-level class)")), *classes]


class AttributeForm(DomainErrorMixin, forms.Form):
    """One attribute definition (``attrdef``) added to, or replacing the same key of, a class."""

    ci_class = forms.ChoiceField(label=_("Class"))
    key = forms.RegexField(
        label=_("Key"), max_length=40, regex=r"^[a-z][a-z0-9_]*$",
        error_messages={"invalid": _("Lower-case letters, digits or _, starting with a letter.")},
        help_text=_("Used in imports, the API and searches (key=value), e.g. serial_number."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=list(TYPE_LABELS.items()))
    label = forms.CharField(label=_("Label (Chinese)"), max_length=100)
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice: one a line, value|Chinese label|English label."),
    )
    target_class = forms.ChoiceField(
        label=_("Refers to class"), required=False,
        help_text=_("For a reference: the class (or a subclass) the CI must belong to."),
    )
    min = forms.DecimalField(label=_("Minimum"), required=False,
                             help_text=_("For numbers."))
    max = forms.DecimalField(label=_("Maximum"), required=False,
                             help_text=_("For numbers."))
    max_length = forms.IntegerField(label=_("Maximum length"), required=False, min_value=1,
                                    help_text=_("For text."))

    field_map = {"attributes": "key"}

    def __init__(self, *args: Any, classes: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "attr")
        super().__init__(*args, **kwargs)
        for name, empty in (("ci_class", None), ("target_class", "—")):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = classes if empty is None else [("", empty), *classes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("type")
        if kind == "choice":
            choices = []
            for line in str(data.get("choices") or "").splitlines():
                parts = [p.strip() for p in line.split("|")]
                if parts[0]:
                    choices.append({"value": parts[0], "label": parts[1] if len(parts) > 1
                                    and parts[1] else parts[0],
                                    "label_en": parts[2] if len(parts) > 2 else ""})
            if not choices:
                self.add_error("choices", _("List at least one choice."))
            data["choices"] = choices
        if kind == "reference" and not data.get("target_class"):
            self.add_error("target_class", _("Choose the class the reference points to."))
        for bound in ("min", "max"):
            if data.get(bound) is not None and kind not in ("integer", "decimal"):
                self.add_error(bound, _("Only numbers have a minimum or maximum."))
        if data.get("max_length") is not None and kind != "string":
            self.add_error("max_length", _("Only text has a maximum length."))
        return data

    def definition(self) -> dict[str, Any]:
        """The cleaned form as an ``attrdef`` definition."""
        data = self.cleaned_data
        spec: dict[str, Any] = {"key": data["key"], "type": data["type"],
                                "label": data["label"].strip(),
                                "required": bool(data["required"])}
        if data["label_en"].strip():
            spec["label_en"] = data["label_en"].strip()
        if data["type"] == "choice":
            spec["choices"] = data["choices"]
        if data["type"] == "reference":
            spec["class"] = data["target_class"]
        for bound in ("min", "max"):
            value: Decimal | None = data.get(bound)
            if value is not None:
                spec[bound] = int(value) if value == value.to_integral_value() else float(value)
        if data.get("max_length") is not None:
            spec["max_length"] = data["max_length"]
        return spec


class GroupCreateForm(DomainErrorMixin, forms.Form):
    code = forms.CharField(label=_("Group code"), max_length=48,
                           help_text=_("e.g. ERP-DB-CLUSTER"))
    name = forms.CharField(label=_("Group name"), max_length=100)
    support_team = forms.ChoiceField(label=_("Support team"), required=False)
    members = forms.CharField(
        label=_("Other members"), required=False, max_length=2000,
        help_text=_("CI ids besides this CI, separated by spaces or commas."),
    )
    change_number = forms.CharField(label=_("Change record"), required=False, max_length=32)

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "group")
        super().__init__(*args, **kwargs)
        field = self.fields["support_team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *teams]


class GroupMembersForm(DomainErrorMixin, forms.Form):
    members = forms.CharField(
        label=_("Members"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Every member's CI id, separated by spaces or commas."),
    )
    change_number = forms.CharField(label=_("Change record"), required=False, max_length=32)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "members")
        super().__init__(*args, **kwargs)


def ci_ids(text: str) -> list[str]:
    """CI ids typed into a members field, upper-cased and without repeats, in order."""
    seen: list[str] = []
    for part in text.replace(",", " ").replace("，", " ").split():
        if part.upper() not in seen:
            seen.append(part.upper())
    return seen


class AssetFieldsForm(DomainErrorMixin, forms.Form):
    """An asset's own fields (``ASSET_FIELDS`` but its CI), for registering and editing."""

    name = forms.CharField(label=_("Asset name"), max_length=200)
    purchase_date = forms.DateField(label=_("Purchase date"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    cost = forms.DecimalField(label=_("Cost"), required=False, min_value=Decimal(0),
                              max_digits=14, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    warranty_end = forms.DateField(label=_("Warranty end"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))

    FIELDS = ("name", "supplier", "purchase_date", "cost", "currency", "warranty_end")

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bought, ends = data.get("purchase_date"), data.get("warranty_end")
        if bought and ends and ends < bought:
            self.add_error("warranty_end", _("The warranty cannot end before the purchase."))
        return data


class AssetCreateForm(AssetFieldsForm):
    lifecycle = forms.ChoiceField(label=_("Lifecycle"), choices=AssetLifecycle.choices,
                                  initial=AssetLifecycle.DEPLOYED)

    field_map = {"ci": "name"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "asset")
        super().__init__(*args, **kwargs)


class LicenceCreateForm(DomainErrorMixin, forms.Form):
    code = forms.CharField(label=_("Licence code"), max_length=48,
                           help_text=_("e.g. MS-O365-E3-2026"))
    product = forms.CharField(label=_("Product"), max_length=200)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    entitlements = forms.IntegerField(label=_("Entitled installations"), min_value=0)
    purchase_date = forms.DateField(label=_("Purchase date"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    cost = forms.DecimalField(label=_("Cost"), required=False, min_value=Decimal(0),
                              max_digits=14, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    ends_on = forms.DateField(label=_("Ends on"), required=False,
                              help_text=_("Leave empty for a perpetual licence."),
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "licence")
        super().__init__(*args, **kwargs)


class LicenceInstallForm(DomainErrorMixin, forms.Form):
    """``licence_install``: the CI that runs the licensed software, and since when."""

    field_map = {"ci": "ci_id"}
    ci_id = forms.CharField(label=_("CI id"), max_length=16,
                            help_text=_("e.g. CI-000123 (shown on the CI's page)"))
    installed_on = forms.DateField(label=_("Installed on"),
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "install")
        super().__init__(*args, **kwargs)


class AssetEditForm(AssetFieldsForm):
    """``asset_update``: the asset's own fields with the version read (its lifecycle moves
    by actions, its CI from the CI's page)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "edit")
        super().__init__(*args, **kwargs)


class ClassEditForm(DomainErrorMixin, forms.Form):
    """``class_update``: names, description, parent, change control and whether it is in use
    (its code never changes; its attributes are edited on the class list)."""

    name = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.ChoiceField(label=_("Parent class"), required=False)
    under_change_control = forms.BooleanField(
        label=_("Under change control"), required=False,
        help_text=_("Changes without a change record are recorded as unauthorised."),
    )
    is_active = forms.BooleanField(
        label=_("In use"), required=False,
        help_text=_("A class no longer in use takes no new CIs; its CIs stay as they are."),
    )

    FIELDS = ("name", "name_en", "description", "parent", "under_change_control", "is_active")

    def __init__(self, *args: Any, classes: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "class")
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None (a top-level class)")), *classes]
