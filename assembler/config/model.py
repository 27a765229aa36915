"""What report.yaml may say: the partnership, its agencies, its brand and its rules."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assembler.template_fields import TEMPLATE_FORMATS

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


class ConfigModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Colours(ConfigModel):
    primary: str = Field(description="Headings, cover band, table header fill.")
    secondary: str = Field(description="Sub-headings and rules.")
    accent: str = Field(description="Highlights: key figures, bullets.")
    text: str = "#1A1A1A"
    background: str = "#FFFFFF"
    header_text: str = Field(default="#FFFFFF", description="Text on the primary colour (table headers, cover).")
    chart: list[str] = Field(min_length=1, description="Bar colours in order; keep them apart in lightness for greyscale print.")

    @field_validator("primary", "secondary", "accent", "text", "background", "header_text")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not HEX_COLOUR.match(value):
            raise ValueError(f"'{value}' is not a colour; write it as # and six hex digits, e.g. #1B3A6B")
        return value.upper()

    @field_validator("chart")
    @classmethod
    def _hex_list(cls, values: list[str]) -> list[str]:
        return [cls._hex(v) for v in values]


class Fonts(ConfigModel):
    body: Literal["Arial", "Liberation Sans"] = Field(
        default="Arial",
        description="The family Word shows. The PDF embeds Liberation Sans, which has Arial's metrics, "
        "so both outputs break lines in the same places.",
    )
    heading: Literal["Arial", "Liberation Sans"] = "Arial"
    body_size: float = Field(default=11, ge=8, le=14)


class Brand(ConfigModel):
    colours: Colours
    fonts: Fonts = Fonts()
    logo: str | None = Field(default=None, description="PNG logo, relative to the inputs folder.")
    logo_alt: str = Field(default="Partnership logo", min_length=1)
    footer: str = Field(description="Footer text on every page of every output.")


class Partnership(ConfigModel):
    name: str
    short_name: str
    website: str | None = None
    language: str = Field(default="en-GB", description="Language tag written into every output.")


class Agency(ConfigModel):
    id: str = Field(description="Short lower-case id, e.g. 'mfrs'; used in file names and the template.")
    name: str
    sector: str
    email: str
    format: Literal[TEMPLATE_FORMATS] = Field(default="docx", description="The template the agency is sent.")
    due: date | None = None
    aliases: list[str] = Field(default_factory=list, description="Other names the agency writes on its return: "
                               "acronyms ('CWP'), shortened or spelt differently ('Cheshire & Wirral Partnership').")

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"'{value}' is not a usable id; use lower-case letters, digits and hyphens")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if "@" not in value or " " in value.strip():
            raise ValueError(f"'{value}' is not an e-mail address")
        return value.strip()


class Chart(ConfigModel):
    id: str
    title: str = Field(description="Also starts the chart's alt text.")
    table: str = Field(description="Data table id, '<workbook>.<sheet>', e.g. 'funding.income'.")
    label: str = Field(description="Column holding the bar labels.")
    value: str = Field(description="Column holding the numbers.")
    unit: Literal["£", "%", "count"] = "count"


class Rules(ConfigModel):
    """How strict the check is. Each rule is 'error' (blocks the build), 'warning' or 'off'."""

    model_config = ConfigDict(extra="forbid")
    empty_section: Literal["error", "warning", "off"] = "error"
    placeholder_text: Literal["error", "warning", "off"] = "error"
    over_word_limit: Literal["error", "warning", "off"] = "warning"
    percentage_out_of_range: Literal["error", "warning", "off"] = "error"
    unknown_agency: Literal["error", "warning", "off"] = "error"
    duplicate_return: Literal["error", "warning", "off"] = "warning"
    wrong_period: Literal["error", "warning", "off"] = "error"
    late_return: Literal["error", "warning", "off"] = "warning"
    tracked_changes: Literal["error", "warning", "off"] = "warning"
    unprintable_text: Literal["error", "warning", "off"] = "warning"  # no bundled font has the character: it prints as a box
    not_available: Literal["error", "warning", "off"] = "error"  # a key figure that would print 'not available'
    min_returns: int | None = Field(default=None, ge=0, description=(
        "The fewest usable returns a report may be built from (default: half the agencies in the registry); "
        "'assembler build --allow-missing' builds with fewer."))
    word_limits: dict[Literal["about", "activity", "priorities"], int] = Field(
        default_factory=lambda: {"about": 300, "activity": 600, "priorities": 300}
    )


class AcceptedFigure(ConfigModel):
    """A key figure the officer has looked at and accepts printing as 'not available', or gives the figure for."""

    agency: str = Field(description="The agency's id in the registry.")
    indicator: str = Field(description="The indicator's label, as the return has it.")
    value: str | None = Field(default=None, description="The figure to print instead, as the agency confirmed it "
                              "(e.g. '2,934'); leave out to print 'not available'.")
    reason: str | None = Field(default=None, description="Why: for next year's officer (not printed).")


class Indicators(ConfigModel):
    """How the agencies' key indicator tables print."""

    period_style: Literal["long", "short", "numeric"] = Field(default="long", description=(
        "One style for the Period column: long (2023-24, Q2 2023-24, March 2024, 31 March 2024), "
        "short (2023/24, Q2 2023/24, Mar 2024, 31 Mar 2024) or numeric (2023/24, Q2 2023/24, 03/2024, 31/03/2024)."))
    not_available: list[AcceptedFigure] = Field(default_factory=list, description=(
        "Key figures accepted as 'not available' (or given by the officer): otherwise each is an error of the return."))

    def accepted(self, agency_id: str, label: str) -> AcceptedFigure | None:
        wanted = _label_key(label)
        return next((a for a in self.not_available if a.agency == agency_id and _label_key(a.indicator) == wanted), None)

    def accepted_in(self, agency_id: str, field: str) -> AcceptedFigure | None:
        """The accepted figure a reader's note is about ('<label> (Indicators!B6)')."""
        where = _label_key(field)
        return next((a for a in self.not_available if a.agency == agency_id and where.startswith(_label_key(a.indicator))), None)


def _label_key(label: str) -> str:
    """A label as typed in report.yaml or as printed (typeset: 'plan – total', ‘quoted’) compares equal."""
    folded = label.translate({0x2013: "-", 0x2014: "-", 0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'})
    return " ".join(folded.split()).casefold()


class Limits(ConfigModel):
    """Safety limits for files that arrive from outside."""

    max_file_mb: float = Field(default=50, gt=0)
    max_inflated_mb: float = Field(default=200, gt=0, description="Total size of a .docx/.xlsx once unzipped.")
    max_zip_entries: int = Field(default=2000, gt=0)
    max_seconds_per_file: float = Field(default=10, gt=0)
    max_memory_mb_per_file: float = Field(default=1024, gt=0, description="Memory the reading of one return may take "
                                          "(enforced in the process that reads it).")
    max_table_rows: int = Field(default=5000, gt=0, description="Table rows in all in one Word return.")
    max_table_depth: int = Field(default=8, gt=0, description="Tables inside tables in a Word return.")
    max_workbook_cells: int = Field(default=100_000, gt=0, description="Filled cells in one Excel return.")


class MailServer(ConfigModel):
    """One server of the partnership's mailbox: where to connect and how the connection is protected."""

    host: str = Field(min_length=1)
    port: int | None = Field(default=None, gt=0, lt=65536, description="Default: 993 (IMAP, ssl), 143 (IMAP, starttls or plain), "
                                                                          "465 (SMTP, ssl), 587 (SMTP, starttls), 25 (SMTP, plain).")
    security: Literal["ssl", "starttls", "plain"] = Field(
        default="ssl", description="'plain' sends the password unprotected: only for a test server on this machine.")


SECRET_KEYS = {"password", "pass", "passwd", "token", "access_token", "secret", "app_password"}
DEFAULT_MAIL_SUBJECT = "{partnership_short} {title} {period}: return from {agency} due {due}"
DEFAULT_MAIL_BODY = """Dear colleague,

Please find attached {agency}'s return template for the {partnership} {title} {period}.

Please fill it in and reply to this e-mail with the file attached (the {format_name} file itself, not a PDF or a scan) by {due}.

Word limits: {word_limits}.

If you have any questions, please contact {contact}.

Kind regards,

{partnership}
"""


class Mail(ConfigModel):
    """The partnership's mailbox: `assembler send`, `fetch` and `chase --send` use it. No password here: it comes from
    an environment variable, the system keyring or a token command."""

    address: str = Field(description="The partnership's address the templates are sent from.")
    reply_to: str | None = Field(default=None, description="Where agencies reply; default: address.")
    user: str = Field(description="The login name for both servers (usually the address).")
    auth: Literal["password", "xoauth2"] = Field(
        default="password", description="'xoauth2' for Microsoft 365 and Gmail: an OAuth 2.0 access token instead of a password.")
    secret_env: str | None = Field(
        default=None, description="The environment variable holding the password or token; "
        "default ASSEMBLER_MAIL_PASSWORD, or ASSEMBLER_MAIL_TOKEN for xoauth2.")
    token_command: str | None = Field(default=None, description="xoauth2: a command that prints a fresh access token.")
    keyring_service: str = Field(default="assembler", description="The system keyring entry (service, user) tried last.")
    smtp: MailServer
    imap: MailServer
    ca_file: str | None = Field(default=None, description="A PEM certificate to trust for both servers, for a server whose "
                                "certificate your organisation issued itself; relative to the inputs folder.")
    folder: str = Field(default="INBOX", description="The IMAP folder `assembler fetch` looks in.")
    since: date | None = Field(default=None, description="Fetch mail from this day; default: the day the templates went out.")
    max_attachments: int = Field(default=10, gt=0, description="An e-mail with more attachments than this is not fetched.")
    pause_seconds: float = Field(default=0, ge=0, le=60, description="A pause between e-mails sent, for providers that limit "
                                 "how fast a mailbox may send (Microsoft 365: 30 a minute, so 2).")
    contact: str = Field(default="the partnership's business team at the reply-to address",
                         description="Who agencies ask, for {contact} in the covering text.")
    subject: str = DEFAULT_MAIL_SUBJECT
    body: str = Field(default=DEFAULT_MAIL_BODY, description="The covering text; {agency}, {due}, {period}, {word_limits}, "
                      "{contact}, {reply_to}, {partnership}, {partnership_short}, {title}, {format_name}, {attachment}.")

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data):
        # A password in report.yaml would be copied, shared and committed with it.
        if isinstance(data, dict):
            secret = next((k for k in data if str(k).casefold() in SECRET_KEYS), None)
            if secret is not None:
                raise ValueError(f"'{secret}' does not belong in report.yaml (it is shared and copied); remove it and put the "
                                 "password or token in the environment variable ASSEMBLER_MAIL_PASSWORD (or ASSEMBLER_MAIL_TOKEN), "
                                 "or in the system keyring")
        return data

    @field_validator("address", "reply_to", "user")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or " " in value.strip()):
            raise ValueError(f"'{value}' is not an e-mail address or user name")
        return value.strip() if value is not None else None


class KeyFigure(ConfigModel):
    """A number on the one-page summary, always computed from a data workbook."""

    label: str = Field(description="The words under the number, e.g. 'visits to our website'.")
    expression: str | None = Field(default=None, description="A figure expression, as in chapters: '{{ total(\"training.attendance\", \"Attendees\") | number }}'.")
    table: str | None = Field(default=None, description="Or a data table id, '<workbook>.<sheet>'.")
    row: str | None = Field(default=None, description="With table: the row label (first column); leave out to add up the column.")
    column: str | None = Field(default=None, description="With table: the column holding the number.")
    format: Literal["number", "money", "pct"] = "number"

    @model_validator(mode="after")
    def _one_source(self) -> KeyFigure:
        if (self.expression is None) == (self.table is None):
            raise ValueError(f"key figure '{self.label}' needs either an expression or a table and column, not both or neither")
        if self.table is not None and self.column is None:
            raise ValueError(f"key figure '{self.label}' names a table but no column")
        return self


class Summary(ConfigModel):
    """The one-page summary of the annual report."""

    title: str = "Annual report summary"
    key_figures: list[KeyFigure] = Field(default_factory=list, max_length=4)
    case_studies: list[str] = Field(default_factory=list, description="Tile names; when empty, every case study the "
                                    "returns give, as the report heads it ('Title (Agency)'). Each must be one of "
                                    "the report's case studies.")
    resources: list[str] = Field(default_factory=list, description="Tile names for resources the report points to; each must be "
                                                                "a link or a heading in the report.")
    full_report: str | None = Field(default=None, description="Where the full report is; default names the partnership website.")


class ReportConfig(ConfigModel):
    partnership: Partnership
    title: str = "Annual Report"
    period: str = Field(description="The report year, e.g. 2023-24.")
    plan_period: str = Field(description="The plan year that follows, e.g. 2024-25.")
    publication_date: date = Field(description="Printed on the cover and used as the fixed date in every output.")
    chapters: list[str] = Field(min_length=1, description="Chapter ids in print order; each is a file in chapters/.")
    agency_chapter: str = Field(default="multi-agency-working", description="The chapter the agency returns go into.")
    agencies: list[Agency] = Field(min_length=1)
    brand: Brand
    charts: list[Chart] = Field(default_factory=list)
    rules: Rules = Rules()
    limits: Limits = Limits()
    summary: Summary = Summary()
    assign: dict[str, str] = Field(default_factory=dict, description="The officer's decision on whose a return is: "
                                   "a file name or pattern ('CWP*.docx', 'returns/cwp/*') -> agency id. "
                                   "Wins over everything but the template's identifier. `assembler assign` writes it.")
    received: dict[str, datetime] = Field(default_factory=dict, description="When each return arrived, by file name or "
                                          "pattern: wins over the e-mail's Date and the file's time in returns/ "
                                          "(which git does not keep). A time without an offset is taken as UTC.")
    mail: Mail | None = Field(default=None, description="The partnership's mailbox, for send, fetch and chase --send.")
    glossary: dict[str, str] = Field(default_factory=dict, description="Abbreviations and terms the glossary chapter "
                                     "adds to its table ('WSCP: Wirral Safeguarding Children Partnership'): the report's "
                                     "acronym check lists those it uses and does not define.")
    glossary_chapter: str = Field(default="glossary", description="The chapter whose first table is the glossary.")
    indicators: Indicators = Indicators()

    @field_validator("received")
    @classmethod
    def _utc_unless_said(cls, values: dict[str, datetime]) -> dict[str, datetime]:
        return {key: value if value.tzinfo else value.replace(tzinfo=timezone.utc) for key, value in values.items()}

    @field_validator("period", "plan_period")
    @classmethod
    def _period(cls, value: str) -> str:
        match = PERIOD.match(value)
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise ValueError(f"'{value}' is not a report year; write it as 2023-24")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ReportConfig:
        ids = [a.id for a in self.agencies]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"agency ids must be unique; {', '.join(duplicates)} appear more than once")
        unknown = sorted({agency_id for agency_id in self.assign.values() if agency_id not in ids})
        if unknown:
            raise ValueError(f"assign: {', '.join(unknown)} {'is not an agency id' if len(unknown) == 1 else 'are not agency ids'} "
                             f"in 'agencies'; use one of the ids listed there (e.g. {ids[0]})")
        if self.agency_chapter not in self.chapters:
            raise ValueError(f"agency_chapter '{self.agency_chapter}' is not in the chapters list")
        return self

    @property
    def activity_year(self) -> int:
        """The calendar year agencies report on: 2023 for 2023-24."""
        return int(self.period[:4])

    @property
    def plan_year(self) -> int:
        return int(self.plan_period[:4])

    def agency(self, agency_id: str) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)
