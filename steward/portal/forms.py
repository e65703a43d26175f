"""UI input parsing for portal pages. No save side effects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.catalogue.models import ServiceCategory


class CatalogueSearchForm(forms.Form):
    """Search words and a category of the portal catalogue (both optional)."""

    q = forms.CharField(
        label=_("Search the catalogue"), max_length=100, required=False,
        widget=forms.TextInput(attrs={
            "type": "search", "autocomplete": "off", "enterkeyhint": "search",
        }),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, categories: Iterable[ServiceCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All categories")), *((c.code, str(c)) for c in categories)]
