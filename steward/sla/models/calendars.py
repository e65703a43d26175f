"""Business calendars: a time zone, weekly working windows and dated exceptions.

A calendar of kind ``china`` takes its holidays and make-up working days (调休) from the
``chinese-calendar`` package, one ``CalendarYear`` per year loaded; it refuses to compute
through a year that is neither loaded nor confirmed by an administrator (never guess a year).
Editing a calendar raises its ``version``: running clocks are re-planned, stopped ones keep the
version they were measured with.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import TimeStampedModel
from steward.identity.models import Bilingual, validate_time_zone


class CalendarKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly hours with exceptions")
    ALWAYS = "always", _("24 × 7")
    CHINA = "china", _("China mainland (official holidays and make-up days)")


class BusinessCalendar(Bilingual, TimeStampedModel):
    """Hours during which SLA time runs."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=CalendarKind.choices, default=CalendarKind.WEEKLY
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]


class WorkingWindow(models.Model):
    """A working period on a weekday, in the calendar's wall-clock time (end may be 24:00)."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    start_minute = models.PositiveSmallIntegerField(_("start (minutes after midnight)"))
    end_minute = models.PositiveSmallIntegerField(
        _("end (minutes after midnight)"), help_text=_("1440 means midnight at the end of the day.")
    )

    class Meta:
        ordering = ["calendar", "weekday", "start_minute"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    weekday__lte=6, end_minute__lte=1440, start_minute__lt=models.F("end_minute")
                ),
                name="window_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {hhmm(self.start_minute)}-{hhmm(self.end_minute)}"


def hhmm(minute: int) -> str:
    """``540`` → ``"09:00"``; ``1440`` → ``"24:00"``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


class ExceptionKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    WORKING = "working", _("Extra working day")
    CUSTOM = "custom", _("Custom hours")


class ExceptionSource(models.TextChoices):
    OFFICIAL = "official", _("Official (chinese-calendar package)")
    ICS = "ics", _("Imported iCalendar file")
    MANUAL = "manual", _("Entered by an administrator")


class CalendarException(TimeStampedModel):
    """A dated exception: a holiday, an extra working day or custom hours.

    ``windows`` is a list of ``[start_minute, end_minute]`` pairs; empty for a holiday. An extra
    working day without windows works the calendar's Monday hours.
    """

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="exceptions"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=ExceptionKind.choices)
    windows = models.JSONField(_("hours"), default=list, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=ExceptionSource.choices, default=ExceptionSource.MANUAL
    )
    source_version = models.CharField(_("source version"), max_length=40, blank=True)

    class Meta:
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="one_exception_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.name}"


class CalendarYear(models.Model):
    """A year a China calendar knows: loaded from the official data or confirmed by hand."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=8, choices=ExceptionSource.choices)
    source_version = models.CharField(max_length=40, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["calendar", "year"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "year"], name="one_calendar_year")
        ]

    def __str__(self) -> str:
        return f"{self.calendar_id} {self.year} ({self.source})"


class ServiceHours(models.Model):
    """The hours of service of a catalogue service: the calendar during which it is offered.

    Owned by the SLA app (the higher one), so the catalogue never depends on calendars.
    """

    service = models.OneToOneField(
        "catalogue.Service", on_delete=models.CASCADE, related_name="hours"
    )
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "service hours"

    def __str__(self) -> str:
        return f"{self.service_id}: {self.calendar_id}"
