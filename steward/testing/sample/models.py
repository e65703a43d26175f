"""A minimal concrete work item used by the tests of generic features."""

from steward.workitems.models import WorkItem


class Memo(WorkItem):
    """A test-only record with nothing but the shared work-item fields."""
