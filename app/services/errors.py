"""Errors the services raise; each carries a message written for the secretary."""
from __future__ import annotations

from app.domain.issues import Issue


class ServiceError(Exception):
    """Something the user asked for cannot be done; nothing was changed."""


class NotFound(ServiceError):
    pass


class ValidationFailed(ServiceError):
    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))
