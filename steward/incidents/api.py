"""Incidents API (routes are added as the app grows)."""

from ninja import Router

router = Router(tags=["incidents"])
