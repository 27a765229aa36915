"""What `assembler build` would stop on, found by `assembler check` first: a clean check gets a build.

The build stops on errors in the returns (validate.py, which check runs too), and on what its own checks find
in the files it writes. Those that depend on what an agency wrote are asked of each return as it is
validated (`return_problems`, called by validate.py), with the build's own rules
(checks/text_rules.py, shared with docx_accessibility and pdf_accessibility; writers/pictures.picture_size_mm), as errors
on the return: check lists them and puts them on the chase list, and the build stops on them before writing,
naming the agency rather than blaming itself. The partnership's own material (report.yaml's brand, the
chapters, data workbooks, briefings, charts and the summary's key figures and tiles) is read by `BuildRules`
while the returns are, as the build reads it.

Not here, because only writing finds them: the one-pagers' fit to the page, and text a font cannot print (the
nothing-lost check; see issue 16, item 4).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

from assembler.config import ReportConfig
from assembler.errors import InputError
from assembler.intake_types import Intake
from assembler.problems import Problem
from assembler.schema import (
    block_runs,
    Heading,
    Image,
    Quote,
    SectionKey,
    Submission,
    Table,
)

LINK_FIX = "ask the agency to make the link's text say where it goes (the page's name, or the web address itself)"
CHARACTER_FIX = ("ask the agency to retype them as ordinary characters (a symbol from the Symbol or Wingdings "
                 "font, or a character their computer could not show)")
PICTURE_FIX = "ask the agency to paste the picture again as a PNG or JPEG of ordinary size"
ALT_FIX = "ask the agency for a sentence saying what the picture shows"
TEXT_WIDTH_MM = 170.0  # any page width: only whether the picture can be read matters here


def brand_contrast_errors(config: ReportConfig, inputs: Path) -> list[Problem]:
    """The brand's colours that fall below the contrast body text needs: the build stops on them, check says so."""
    from assembler.brand import contrast_problems

    return [Problem(code="brand_contrast", file=str(inputs / "report.yaml"), field="brand.colours", message=problem,
                    fix="choose darker text or a lighter background colour") for problem in contrast_problems(config.brand)]


def shared_address_warnings(config: ReportConfig, inputs: Path) -> list[Problem]:
    """Agencies registered with one e-mail address: a return from it cannot be told apart by its sender (the
    first agency in the registry would have it), only by what it says."""
    by_address: dict[str, list[str]] = {}
    for agency in config.agencies:
        by_address.setdefault(agency.email.strip().casefold(), []).append(agency.id)
    return [Problem(code="shared_address", severity="warning", file=str(inputs / "report.yaml"), field="agencies",
                    message=f"{', '.join(ids)} share the e-mail address {address}: a return sent from it is placed by "
                            "the agency name it gives, not by its sender",
                    fix="give each agency its own address if it has one; otherwise nothing to do")
            for address, ids in by_address.items() if len(ids) > 1]


class BuildRules:
    """Give `meanwhile` to read_returns (the partnership's material is read while the returns are), then `apply`."""

    def __init__(self, inputs: Path, config: ReportConfig, cache=None):
        self.inputs, self.config, self.cache = inputs, config, cache
        self.material = None
        self.warnings: list[Problem] = []  # what the build prints and does not stop on (undefined abbreviations)

    def meanwhile(self, still_reading=None) -> None:
        from assembler.loading import modules_loading

        with modules_loading():  # while the workers read: what the material, the firewall and `apply` use
            from assembler.assemble import read_partnership_material
            import assembler.document.summary  # noqa: F401
            import assembler.readers.printable  # noqa: F401

        def read():
            return read_partnership_material(self.inputs, self.config)

        # Unchanged since the last check or build (reading_cache.py): taken as it was read then.
        self.material = self.cache.material(self.inputs, self.config, read) if self.cache else read()

    def apply(self, intake: Intake) -> list[Problem]:
        """What in the partnership's own files would stop the build (the returns' own: validate.py)."""
        from assembler.assemble import assemble_report

        if self.material is None:
            self.meanwhile()
        problems = brand_contrast_errors(self.config, self.inputs)
        content = assemble_report(self.material, self.config, intake.accepted)
        self.warnings = shared_address_warnings(self.config, self.inputs) + content.warnings
        problems += content.problems
        problems += _summary_problems(content.report, self.config, self.inputs)
        return problems


def _summary_problems(report, config: ReportConfig, inputs: Path) -> list[Problem]:
    """The summary's key figures and tiles, checked as the build checks them before laying the page out."""
    from assembler.document.summary import summary_content

    try:
        summary_content(report, config, inputs)
    except InputError as error:
        return [error.problem]
    return []


def return_problems(submission: Submission) -> list[Problem]:
    """The errors the build's checks of its outputs would find in this return's text, links and pictures."""
    where = submission.source.path + (f" (attachment {submission.source.attachment})" if submission.source.attachment else "")
    found: list[Problem] = []

    def error(code: str, field: str, message: str, fix: str) -> None:
        found.append(Problem(code=code, severity="error", field=field, message=message, fix=fix, file=where,
                             agency=submission.agency_name, agency_id=submission.agency_id))

    for field, blocks in _parts(submission):
        for block in blocks:
            _block_problems(field, block, error)
    for indicator in submission.indicators:
        texts = [indicator.label, indicator.raw or "", indicator.unit or "", indicator.period or "", indicator.note or "",
                 indicator.before or "", indicator.after or ""]
        _character_problems(f"indicator '{indicator.label}'", "the indicator", texts, error)
    _character_problems("agency", "the agency's name", [submission.agency_name], error)
    return found


def _parts(submission: Submission) -> Iterator[tuple[str, list]]:
    for key in SectionKey:
        yield key.value, submission.section(key)
    for number, study in enumerate(submission.case_studies, start=1):
        yield f"case study {number}", [Heading(level=1, text=study.title), *study.blocks]


def _block_problems(field: str, block, error) -> None:
    from assembler.checks.text_rules import link_text_problem

    for run in block_runs(block):
        if run.link is None:
            continue
        problem = link_text_problem(run.text)
        if problem:
            shown = " ".join(run.text.split())
            error("link_text", field, f"the link '{shown}' to {run.link}: {problem}" if shown else f"a link to {run.link} {problem}", LINK_FIX)
    _character_problems(field, "the text", list(_texts(block)), error)
    if isinstance(block, Image):
        _picture_problems(field, block, error)


def _picture_problems(field: str, block: Image, error) -> None:
    from assembler.writers.pictures import picture_size_mm

    if not block.alt.strip():
        error("picture_without_alt_text", field, "a picture has no description (alt text)", ALT_FIX)
    try:
        picture_size_mm(block, Path(block.path), TEXT_WIDTH_MM)
    except InputError as exc:
        error("picture_unreadable", field, f"{exc.message} ({Path(block.path).name})", exc.fix)
    except Exception as exc:  # Pillow's own: a decompression bomb, a broken header; the writers would stop on it
        error("picture_unreadable", field, f"a picture cannot be read ({type(exc).__name__})", PICTURE_FIX)


def _texts(block) -> Iterator[str]:
    """Everything of a block that is printed as text."""
    yield from (run.text for run in block_runs(block))
    if isinstance(block, Heading):
        yield block.text
    elif isinstance(block, Quote) and block.attribution:
        yield block.attribution
    elif isinstance(block, Table):
        yield from (cell for row in block.header_rows + block.rows for cell in row)
    if isinstance(block, (Table, Image)) and block.caption:
        yield block.caption


def _character_problems(field: str, what: str, texts: list[str], error) -> None:
    """Characters that come out of the PDF as no character at all (the build's extraction check stops on them)."""
    from assembler.checks.text_rules import NOT_REAL_TEXT

    bad = sorted({char for text in texts for char in NOT_REAL_TEXT.findall(text)})
    if bad:
        listed = ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, _kind(c))})" for c in bad[:5])
        error("not_real_text", field, f"{what} has characters that do not print as text: {listed}", CHARACTER_FIX)


def _kind(char: str) -> str:
    return "private use" if "\ue000" <= char <= "\uf8ff" else "control character"
