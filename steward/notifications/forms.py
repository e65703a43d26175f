"""UI input parsing for the notification console pages (no save side effects)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.identity.models import NotificationChannelKind, Team
from steward.notifications.models import RobotKind

STATUS_CHOICES = [
    ("", _("Any status")),
    ("pending", _("Pending")),
    ("processing", _("Processing")),
    ("done", _("Delivered")),
    ("failed", _("Failed")),
    ("skipped", _("Skipped")),
]


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False,
        choices=[("", _("Any channel")), *NotificationChannelKind.choices],
    )


class RobotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=RobotKind.choices)
    url = forms.CharField(
        label=_("URL"), max_length=500, required=False,
        help_text=_("The robot's webhook address. When editing, leave empty to keep it."),
    )
    secret = forms.CharField(
        label=_("Signing secret"), max_length=200, required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the current secret."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.filter(is_active=True), required=False,
        empty_label=_("None: the default robot of its kind"),
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)


class AllowRuleForm(forms.Form):
    value = forms.CharField(
        label=_("Network or host"), max_length=253,
        help_text=_("A network such as 10.1.0.0/16, one address, or a host name."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
