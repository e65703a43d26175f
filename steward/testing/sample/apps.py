from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SampleConfig(AppConfig):
    """A test-only ticket type that exercises the generic work-item features.

    Installed only by the test settings. Real ticket types (incidents, requests, problems,
    changes) register the same way and join the visibility matrix.
    """

    name = "steward.testing.sample"
    label = "sample"

    def ready(self) -> None:
        from steward.testing.sample.models import Memo
        from steward.workitems.registry import RecordType, register

        register(RecordType(model=Memo, prefix="MEM", label=_("Memo")))
