from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SampleConfig(AppConfig):
    """A test-only ticket type that exercises the generic work-item features.

    Installed only by the test settings. Real ticket types (incidents, requests, problems,
    changes) register the same way and join the visibility matrix. ``SampleJob`` is a test-only
    outbox, registered with the sweep as real outboxes are.
    """

    name = "steward.testing.sample"
    label = "sample"

    def ready(self) -> None:
        from steward.core import outbox
        from steward.testing.sample.models import Memo, SampleJob
        from steward.testing.sample.tasks import sample_job_process
        from steward.workitems.registry import RecordType, register

        register(RecordType(model=Memo, prefix="MEM", label=_("Memo")))
        outbox.register(SampleJob, sample_job_process)
