"""The demo CMDB of the retail chain (idempotent): classes, the data centre, ERP with its
database cluster, the network core, and a router, two lines and POS terminals in each store.

Expects the demo organisation and catalogue (``steward.demo``): sites ``DC-SH`` and
``S0001``…``S0300``, teams ``NET``/``APP``/``INFRA``, the person ``it.director`` and the
services ``POS``, ``STORE-NET``, ``ERP``, ``ERP-DB``, ``DC``, ``MEMBER``, ``EMAIL`` ...
Everything goes through the CMDB services (audited, with history) under the baseline change
record ``BASELINE``; two later edits are made without one, to fill the review queue.
"""

from __future__ import annotations

from steward.cmdb.demo.classes import load_classes
from steward.cmdb.demo.estate import (
    BASELINE,
    Loader,
    data_centre,
    service_cis,
    store,
    unauthorised_examples,
)
from steward.cmdb.models import ConfigurationItem
from steward.identity.models import Site, SiteKind

__all__ = ["BASELINE", "load", "load_classes"]


def load() -> int:
    """Load (or complete) the demo CMDB; return the number of CIs."""
    load_classes()
    loader = Loader()
    if loader.dc is None:
        return ConfigurationItem.objects.count()
    svc = service_cis(loader)
    dc = data_centre(loader, svc)
    stores = Site.objects.filter(kind=SiteKind.STORE, code__regex=r"^S\d{4}$").order_by("code")
    for n, site in enumerate(stores, start=1):
        store(loader, site, n, dc, svc)
    unauthorised_examples(loader)
    return ConfigurationItem.objects.count()
