"""Problems found in what the secretary typed: each names its field and says whether it stops the save."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from app.domain.labels import field_label


class Severity(enum.StrEnum):
    """An error stops the save; a warning is only shown, and the record is saved."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem found in a record, on one field: a key of app/domain/labels.py, e.g. "member.full_name"."""

    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        # Issue(field, message, False) is the older spelling of a warning; it still means one.
        if isinstance(self.severity, bool):
            object.__setattr__(self, "severity", Severity.ERROR if self.severity else Severity.WARNING)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return f"{field_label(self.field)}: {self.message}"


@dataclass
class ValidationReport:
    """What a check found in one record, errors and warnings in the order found."""

    issues: list[Issue] = field(default_factory=list)

    def error(self, field_name: str, message: str) -> None:
        self.issues.append(Issue(field_name, message, Severity.ERROR))

    def warn(self, field_name: str, message: str) -> None:
        self.issues.append(Issue(field_name, message, Severity.WARNING))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]
