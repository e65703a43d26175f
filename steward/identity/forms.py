"""UI input parsing for sign-in and personal settings (no save side effects)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.identity.models import Language, NotificationChannelKind, TokenScope


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("User name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    notification_channels = forms.MultipleChoiceField(
        label=_("Notify me by"), choices=NotificationChannelKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PasswordChangeForm(forms.Form):
    new_password = forms.CharField(
        label=_("New password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices)
