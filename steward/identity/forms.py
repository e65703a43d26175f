"""UI input parsing for sign-in, personal settings and organisation administration.

No save side effects: views hand ``cleaned_data`` to ``steward.identity.services``, which hold
the rules. Querysets for choices are passed in by the view (from the selectors).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from steward.identity.models import (
    Department,
    Language,
    NotificationChannelKind,
    Person,
    Role,
    Site,
    TokenScope,
)


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("User name"), max_length=150,
        widget=forms.TextInput(attrs={
            "autocomplete": "username", "autofocus": True, "autocapitalize": "none",
            "spellcheck": "false",
        }),
    )
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64,
        help_text=_("An IANA time zone name, e.g. Asia/Shanghai or Europe/London."),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    notification_channels = forms.MultipleChoiceField(
        label=_("Notify me by"), choices=NotificationChannelKind.choices,
        widget=forms.CheckboxSelectMultiple, help_text=_("Choose at least one."),
    )


class PasswordChangeForm(forms.Form):
    """A new password, typed twice; the rules (Django's validators) are shown as help text."""

    new_password = forms.CharField(
        label=_("New password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password"), cleaned.get("new_password_again")
        if first and second and first != second:
            self.add_error("new_password_again", _("The two passwords differ."))
        return cleaned


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices)


class PersonEditForm(forms.Form):
    """The fields an administrator edits on a person's page."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False,
        empty_label=_("(none)"),
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("(none)"),
    )
    manager = forms.CharField(
        label=_("Manager"), max_length=150, required=False,
        help_text=_("The manager's user name; leave empty for none."),
    )
    is_vip = forms.BooleanField(label=_("VIP"), required=False)
    notification_channels = forms.MultipleChoiceField(
        label=_("Notify by"), choices=NotificationChannelKind.choices,
        widget=forms.CheckboxSelectMultiple, help_text=_("Choose at least one."),
    )
    wecom_userid = forms.CharField(label=_("WeCom user id"), max_length=64, required=False)
    dingtalk_userid = forms.CharField(label=_("DingTalk user id"), max_length=64, required=False)
    feishu_userid = forms.CharField(label=_("Feishu user id"), max_length=64, required=False)

    def __init__(
        self, *args: Any, departments: QuerySet[Department], sites: QuerySet[Site],
        people: QuerySet[Person], **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._people = people
        self._choice_field("department").queryset = departments
        self._choice_field("site").queryset = sites

    def _choice_field(self, name: str) -> forms.ModelChoiceField[Any]:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        return {
            "name": person.name, "name_en": person.name_en, "email": person.email,
            "phone": person.phone, "language": person.language, "time_zone": person.time_zone,
            "department": person.department_id, "site": person.site_id,
            "manager": person.manager.username if person.manager else "",
            "is_vip": person.is_vip, "notification_channels": person.notification_channels,
            "wecom_userid": person.wecom_userid, "dingtalk_userid": person.dingtalk_userid,
            "feishu_userid": person.feishu_userid,
        }

    def clean_manager(self) -> Person | None:
        username = self.cleaned_data["manager"].strip()
        if not username:
            return None
        manager = self._people.filter(username__iexact=username).first()
        if manager is None:
            raise forms.ValidationError(
                _("Nobody has the user name %(name)s."), params={"name": username},
            )
        return manager


class PersonRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TeamMembersForm(forms.Form):
    """Keep (untick to remove) current members and add others by user name."""

    keep = forms.ModelMultipleChoiceField(
        label=_("Current members"), queryset=Person.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a person to remove them. The team lead always stays a member."),
    )
    add = forms.CharField(
        label=_("Add members"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("User names, separated by commas, spaces or new lines."),
    )

    def __init__(
        self, *args: Any, current: Iterable[Person] | QuerySet[Person],
        people: QuerySet[Person], **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._people = people
        keep = self.fields["keep"]
        assert isinstance(keep, forms.ModelMultipleChoiceField)
        keep.queryset = people.filter(pk__in=[p.pk for p in current]).order_by("username")

    def clean_add(self) -> list[Person]:
        names = {n for n in re.split(r"[\s,，、;；]+", self.cleaned_data["add"]) if n}
        if not names:
            return []
        found = list(self._people.filter(username__in=names))
        missing = sorted(names - {p.username for p in found})
        if missing:
            raise forms.ValidationError(
                _("Nobody has the user name %(names)s."), params={"names": ", ".join(missing)},
            )
        return found

    def members(self) -> list[Person]:
        """The people who should be members after this change."""
        return [*self.cleaned_data["keep"], *self.cleaned_data["add"]]
