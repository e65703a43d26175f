"""UI input of the major-incident criteria and schedule (``major_policy_update`` checks them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.catalogue.models import Criticality
from steward.incidents.models import MajorIncidentPolicy


def _label(name: str) -> Any:
    """The model field's (translatable) name."""
    return getattr(MajorIncidentPolicy._meta.get_field(name), "verbose_name", name)


class MajorPolicyForm(forms.Form):
    max_criticality = forms.TypedChoiceField(
        label=_label("max_criticality"),
        choices=[("", _("Off")), *Criticality.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("A priority 1 incident on such a service is declared major at once."),
    )
    site_threshold = forms.IntegerField(
        label=_label("site_threshold"),
        required=False,
        help_text=_(
            "So many stores or offices reporting one service within the window make a major "
            "incident; empty: off."
        ),
    )
    site_window_minutes = forms.IntegerField(label=_label("site_window_minutes"))
    update_interval_minutes = forms.IntegerField(
        label=_label("update_interval_minutes")
    )
    management = forms.TypedMultipleChoiceField(
        label=_label("management"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The management audience of a major incident's communications."),
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["management"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = people
