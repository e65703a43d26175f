from __future__ import annotations

from datetime import datetime

from ninja import Schema


class RecordOut(Schema):
    number: str
    title: str
    description: str
    requester_id: int
    assignee_id: int | None
    team_id: int | None
    department_id: int | None
    site_id: int | None
    restricted: bool
    opened_at: datetime
    closed_at: datetime | None
    version: int


class AttachmentOut(Schema):
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by_id: int
    uploaded_at: datetime
