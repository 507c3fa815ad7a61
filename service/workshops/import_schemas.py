"""Request and response shapes of survey imports: the dry-run plan and what was done."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ImportRowPublic(BaseModel):
    """A survey row and what the import does with it."""

    row: int = Field(description="Spreadsheet row number (the header is row 1).")
    name: str
    country: str
    institution_id: int | None = None
    changed: list[str] = Field(
        default_factory=list, description="Fields an update changes or a proposal suggests."
    )
    answers_moved: bool = Field(
        default=False,
        description="The description holds the Q2-Q4 block an earlier import wrote; it moves out.",
    )


class RejectedRow(BaseModel):
    """A refused cell or row: where, and why."""

    row: int = Field(description="Spreadsheet row (header is 1; 0 means the whole file).")
    column: str = Field(description="The column header as written, or '' for a whole row.")
    reason: str


class ImportPlanPublic(BaseModel):
    """What an import would do (dry run): nothing is written."""

    create: list[ImportRowPublic]
    update: list[ImportRowPublic] = Field(description="Profiles this workshop's imports created.")
    unchanged: list[ImportRowPublic]
    proposal: list[ImportRowPublic] = Field(
        default_factory=list, description="Other profiles: the differences become a proposal."
    )
    participant: list[ImportRowPublic] = Field(
        default_factory=list, description="Other profiles with nothing to propose."
    )
    rejected: list[RejectedRow]
    warnings: list[str]


class ImportResult(BaseModel):
    """What an import did."""

    created: list[int]
    updated: list[int] = Field(description="Institutions whose profile the import changed.")
    unchanged: list[int]
    proposal: list[int] = Field(default_factory=list, description="Institutions sent a proposal.")
    participant: list[int] = Field(
        default_factory=list, description="Other institutions, only made participants."
    )
    participants: int = Field(description="The workshop's participants after the import.")
