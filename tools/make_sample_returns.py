"""Generate the sample agency returns in inputs/returns/ from tools/sample_source/returns/*.md.

Each source is Markdown with YAML front matter: who sent it, when, in which format and
layout, the indicators and contact, what problems were planted and what `assembler check`
should say about them. The body holds the three sections under `## ` headings, in order
about / activity / priorities; the heading text is used as the agency typed it.

Layouts:
  template   fill the generated Word or Excel template, as a person typing into it would
  rows       Excel: the generated template, indicators typed as label/value rows
  headings   free-form Word, section headings in a Heading style (heading_level: 1 or 2)
  bold       free-form Word, section headings typed as bold lines
  table      free-form Word, a two-column table: heading | text
  legacy     a binary Word 97-2003 .doc (only its OLE2 signature: it must be rejected)

`email:` in the front matter wraps the file into a saved e-mail (.eml) with a fixed Date.
Markdown inside the sections: bullets, numbered lists, **bold**, *italic*, [links](url),
pipe tables, ![alt text](picture.png) and CriticMarkup {--deleted--}{++inserted++}, which
becomes Word tracked changes (w:del / w:ins).

Output is deterministic: every date comes from the front matter, zips are normalised.
The output folder is emptied of files first, so a deleted source leaves no stale return.
Each file's time is set to when it was received; as git keeps no file times, writing into
inputs/returns also records those times under `received:` in inputs/report.yaml (the receipt
log `assembler check` reads first), so a fresh clone dates every return the same.
Usage: python3 tools/make_sample_returns.py [--out inputs/returns]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import yaml
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assembler.config import ReportConfig, load_config  # noqa: E402
from assembler.content.markdown import parse_markdown  # noqa: E402
from assembler.deterministic_zip import normalise_zip  # noqa: E402
from assembler.schema import Heading, Image, ListBlock, Paragraph, Quote, Run, Table  # noqa: E402
from assembler.template_fields import (  # noqa: E402
    CONTACT_FIELDS,
    INDICATOR_COLUMNS,
    INDICATORS_FIELD,
    SECTION_FIELDS,
    SHEET_INDICATORS,
    case_study_fields,
)
from assembler.templates_out.excel import write_excel_template  # noqa: E402
from assembler.templates_out.word import write_word_template  # noqa: E402

SOURCE_DIR = REPO / "tools" / "sample_source" / "returns"
DEFAULT_OUT = REPO / "inputs" / "returns"
CONFIG_PATH = REPO / "inputs" / "report.yaml"
PARTNERSHIP_INBOX = "wscp@wirral.example"
BST = timezone(timedelta(hours=1))  # every sample date falls in British Summer Time
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
CRITIC = re.compile(r"\{--(.*?)--\}|\{\+\+(.*?)\+\+\}")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)


# --- sources -----------------------------------------------------------------------------

@dataclass
class Source:
    path: Path
    meta: dict
    headings: list[str]                    # the three section headings as the agency typed them
    sections: list[list]                   # blocks of about, activity, priorities
    case_studies: list[tuple[str, list]] = field(default_factory=list)

    @property
    def received(self) -> datetime:
        value = self.meta["received"]
        return value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())

    @property
    def extension(self) -> str:
        return {"legacy": "doc"}.get(self.meta.get("layout"), self.meta["format"])

    @property
    def file_name(self) -> str:
        return self.meta.get("file") or f"{self.path.stem}.{self.extension}"


def read_source(path: Path) -> Source:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise SystemExit(f"{path}: no front matter (--- ... ---) at the top")
    meta = yaml.safe_load(match.group(1))
    parts = re.split(r"^## (.+)$", match.group(2), flags=re.M)[1:]
    headings, bodies = parts[0::2], parts[1::2]
    if meta.get("layout") != "legacy" and len(headings) != 3:
        raise SystemExit(f"{path}: expected three '## ' section headings, found {len(headings)}")
    case_studies = [(c["title"], parse_markdown(c["text"], typeset=False)) for c in meta.get("case_studies", [])]
    return Source(path, meta, [h.strip() for h in headings], [parse_markdown(b, typeset=False) for b in bodies], case_studies)


def all_sources() -> list[Source]:
    return [read_source(p) for p in sorted(SOURCE_DIR.glob("*.md"))]


# --- Word: blocks into a document ------------------------------------------------------------

class WordWriter:
    """Renders schema blocks into python-docx containers (the body, a table cell)."""

    def __init__(self, document, source: Source):
        self.document = document
        self.source = source
        self.change_ids = iter(range(1, 10_000))

    def blocks(self, container, blocks: list, sub_heading_level: int = 3) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                container.add_paragraph(block.text, style=f"Heading {min(sub_heading_level, 9)}")
            elif isinstance(block, (Paragraph, Quote)):
                self.runs(container.add_paragraph(style="Quote" if isinstance(block, Quote) else None), block.runs)
            elif isinstance(block, ListBlock):
                self.list(container, block, 1)
            elif isinstance(block, Table):
                self.table(container, block)
            elif isinstance(block, Image):
                self.image(container, block)

    def list(self, container, block: ListBlock, depth: int) -> None:
        style = ("List Number" if block.ordered else "List Bullet") + ("" if depth == 1 else f" {depth}")
        for item in block.items:
            self.runs(container.add_paragraph(style=style), item.runs)
            if item.children:
                self.list(container, item.children, depth + 1)

    def table(self, container, block: Table) -> None:
        rows = block.header_rows + block.rows
        table = container.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = r < len(block.header_rows)

    def image(self, container, block: Image) -> None:
        paragraph = container.add_paragraph()
        paragraph.add_run().add_picture(str(SOURCE_DIR / block.path), width=Mm(block.width_mm or 70))
        doc_pr = paragraph._p.find(".//" + qn("wp:docPr"))
        doc_pr.set("descr", block.alt)  # the alt text Word shows under Format Picture > Alt Text
        if block.caption:
            container.add_paragraph(block.caption, style="Caption")

    def runs(self, paragraph, runs: list[Run]) -> None:
        for run in runs:
            if run.link:
                self.hyperlink(paragraph, run)
                continue
            position = 0
            for match in CRITIC.finditer(run.text):
                self.plain(paragraph, run, run.text[position:match.start()])
                deleted, inserted = match.groups()
                self.tracked(paragraph, run, deleted if deleted is not None else inserted, inserted=deleted is None)
                position = match.end()
            self.plain(paragraph, run, run.text[position:])

    @staticmethod
    def plain(paragraph, run: Run, text: str) -> None:
        if text:
            added = paragraph.add_run(text)
            added.bold, added.italic = run.bold or None, run.italic or None

    def tracked(self, paragraph, run: Run, text: str, inserted: bool) -> None:
        change = self.source.meta.get("tracked_changes") or {}
        author = quoteattr(change.get("author", "Unknown"))
        when = change.get("date", self.source.received).strftime("%Y-%m-%dT%H:%M:%SZ")
        rpr = "<w:rPr>" + ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "") + "</w:rPr>"
        tag, text_tag = ("w:ins", "w:t") if inserted else ("w:del", "w:delText")
        paragraph._p.append(parse_xml(
            f'<{tag} {nsdecls("w")} w:id="{next(self.change_ids)}" w:author={author} w:date="{when}">'
            f'<w:r>{rpr}<{text_tag} xml:space="preserve">{escape(text)}</{text_tag}></w:r></{tag}>'
        ))

    @staticmethod
    def hyperlink(paragraph, run: Run) -> None:
        r_id = paragraph.part.relate_to(run.link, RT.HYPERLINK, is_external=True)
        paragraph._p.append(parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:rPr>'
            f'<w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(run.text)}</w:t></w:r></w:hyperlink>'
        ))


def _set_free_form_properties(document, source: Source) -> None:
    props = document.core_properties
    contact = source.meta.get("contact") or {}
    props.author = props.last_modified_by = contact.get("name", source.meta["agency_name"])
    props.title = f"{source.meta['agency_name']} WSCP return {source.meta['period']}"
    props.created = props.modified = source.received
    props.revision = 3
    props.comments = props.keywords = props.subject = ""
    props.language = "en-GB"


def _title_lines(document, source: Source, config: ReportConfig) -> None:
    style = source.meta.get("title_style")
    if style:
        document.add_paragraph(source.meta["agency_name"], style=style)
    else:
        run = document.add_paragraph().add_run(source.meta["agency_name"])
        run.bold, run.font.size = True, Pt(16)
    document.add_paragraph(f"Return to the {config.partnership.name} annual report {source.meta['period']}")


def _indicator_rows(source: Source) -> list[list[str]]:
    rows = []
    for item in source.meta.get("indicators") or []:
        value = item.get("value", "")
        if isinstance(value, float) and "%" in item.get("number_format", ""):
            value = f"{value * 100:g}%"
        rows.append([item["label"], str(value), item.get("unit", ""), str(item.get("period", "")), item.get("note", "")])
    return rows


def _contact_lines(source: Source) -> list[str]:
    contact = source.meta.get("contact") or {}
    labels = (("name", "Name"), ("role", "Role"), ("email", "E-mail"), ("phone", "Telephone"))
    return [f"{label}: {contact[key]}" for key, label in labels if contact.get(key)]


def write_free_form_docx(path: Path, source: Source, config: ReportConfig) -> None:
    document = Document()
    writer = WordWriter(document, source)
    _set_free_form_properties(document, source)
    _title_lines(document, source, config)
    layout = source.meta["layout"]
    level = int(source.meta.get("heading_level", 2))
    parts = list(zip(source.headings, source.sections))
    indicator_rows = _indicator_rows(source)
    if layout == "table":
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for heading, blocks in parts:
            label, text = table.add_row().cells
            label.paragraphs[0].add_run(heading).bold = True
            writer.blocks(text, blocks)
            _drop_leading_empty_paragraph(text)
        if indicator_rows:
            label, text = table.add_row().cells
            label.paragraphs[0].add_run("Key figures").bold = True
            writer.table(text, Table(header_rows=[list(INDICATOR_COLUMNS)], rows=indicator_rows))
            _drop_leading_empty_paragraph(text)
        if _contact_lines(source):
            label, text = table.add_row().cells
            label.paragraphs[0].add_run("Contact details").bold = True
            text.text = "\n".join(_contact_lines(source))
    else:
        def heading(text: str) -> None:
            if layout == "headings":
                document.add_heading(text, level=level)
            else:
                document.add_paragraph().add_run(text).bold = True
        for title, blocks in parts:
            heading(title)
            writer.blocks(document, blocks, sub_heading_level=level + 1)
        for title, blocks in source.case_studies:
            heading(f"Case study: {title}")
            writer.blocks(document, blocks, sub_heading_level=level + 1)
        if indicator_rows:
            heading("Key figures")
            writer.table(document, Table(header_rows=[list(INDICATOR_COLUMNS)], rows=indicator_rows))
        if _contact_lines(source):
            heading("Contact details")
            for line in _contact_lines(source):
                document.add_paragraph(line)
    document.save(path)


def _drop_leading_empty_paragraph(cell) -> None:
    """A new cell starts with an empty paragraph; content added after it should replace it."""
    first = cell.paragraphs[0]
    if not first.text and len(cell._tc) > 2:
        first._p.getparent().remove(first._p)


# --- Word: filling the generated template ----------------------------------------------------

def _controls(document) -> dict[str, object]:
    found = {}
    for sdt in document.element.body.iter(qn("w:sdt")):
        found.setdefault(sdt.find(qn("w:sdtPr")).find(qn("w:tag")).get(qn("w:val")), sdt)
    return found


def _stop_showing_placeholder(sdt) -> None:
    marker = sdt.find(qn("w:sdtPr")).find(qn("w:showingPlcHdr"))
    if marker is not None:
        marker.getparent().remove(marker)


def _fill_inline(sdt, text: str) -> None:
    _stop_showing_placeholder(sdt)
    content = sdt.find(qn("w:sdtContent"))
    for child in list(content):
        content.remove(child)
    content.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'))


def _fill_block(document, writer: WordWriter, sdt, blocks: list) -> None:
    """Type `blocks` into a block-level control: render at the end of the body, then move inside."""
    _stop_showing_placeholder(sdt)
    body = document.element.body
    count_before = len(body)
    writer.blocks(document, blocks)
    children = list(body)
    end = len(children) - 1 if children[-1].tag == qn("w:sectPr") else len(children)  # python-docx adds before sectPr
    added = children[end - (len(children) - count_before):end]
    content = sdt.find(qn("w:sdtContent"))
    for child in list(content):
        content.remove(child)
    for child in added:
        content.append(child)


def _fill_indicator_table(sdt, rows: list[list[str]]) -> None:
    table = next(sdt.iter(qn("w:tbl")))
    trs = table.findall(qn("w:tr"))
    for tr, values in zip(trs[1:], rows):
        for tc, value in zip(tr.findall(qn("w:tc")), values):
            paragraph = tc.find(qn("w:p"))
            if value:
                paragraph.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">{escape(value)}</w:t></w:r>'))


def write_template_docx(path: Path, source: Source, config: ReportConfig) -> None:
    agency = config.agency(source.meta["agency"])
    with tempfile.TemporaryDirectory() as tmp:
        blank = write_word_template(Path(tmp) / "blank.docx", agency, _config_for_period(config, source))
        document = Document(str(blank))
    writer = WordWriter(document, source)
    controls = _controls(document)
    for key, blocks in zip(SECTION_FIELDS, source.sections):
        if blocks:
            _fill_block(document, writer, controls[key], blocks)
    _fill_indicator_table(controls[INDICATORS_FIELD], _indicator_rows(source))
    contact = source.meta.get("contact") or {}
    for name in CONTACT_FIELDS:
        if contact.get(name.removeprefix("contact_")):
            _fill_inline(controls[name], str(contact[name.removeprefix("contact_")]))
    for number, (title, blocks) in enumerate(source.case_studies, start=1):
        title_field, text_field = case_study_fields(number)
        _fill_inline(controls[title_field], title)
        _fill_block(document, writer, controls[text_field], blocks)
    props = document.core_properties
    props.last_modified_by = contact.get("name", agency.name)
    props.modified = source.received
    props.revision = 2
    document.save(path)


def _config_for_period(config: ReportConfig, source: Source) -> ReportConfig:
    """Last year's return came on last year's template: same registry, earlier period."""
    period = source.meta["period"]
    if period == config.period:
        return config
    start = int(period[:4])
    return config.model_copy(update={
        "period": period,
        "plan_period": f"{start + 1}-{(start + 2) % 100:02d}",
        "publication_date": date(start + 1, 7, 31),
    })


# --- Excel: filling the generated template ---------------------------------------------------

def blocks_as_cell_text(blocks: list, bullet: str) -> str:
    """What a person types into one Excel cell: paragraphs and list items on their own lines."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, (Paragraph, Quote)):
            lines.append("".join(run.text for run in block.runs))
        elif isinstance(block, Heading):
            lines.append(block.text)
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, start=1):
                prefix = f"{number}. " if block.ordered else bullet
                lines.append(prefix + "".join(run.text for run in item.runs))
        elif isinstance(block, Table):
            lines.extend(" | ".join(row) for row in block.header_rows + block.rows)
    return "\n".join(lines)


def _named_cell(workbook, name: str):
    sheet, coordinate = next(workbook.defined_names[name].destinations)
    return workbook[sheet][coordinate.replace("$", "")]


def write_template_xlsx(path: Path, source: Source, config: ReportConfig) -> None:
    agency = config.agency(source.meta["agency"])
    with tempfile.TemporaryDirectory() as tmp:
        blank = write_excel_template(Path(tmp) / "blank.xlsx", agency, _config_for_period(config, source))
        workbook = openpyxl.load_workbook(blank)
    bullet = source.meta.get("bullet", "- ")
    for key, blocks in zip(SECTION_FIELDS, source.sections):
        _named_cell(workbook, key).value = blocks_as_cell_text(blocks, bullet) or None
    contact = source.meta.get("contact") or {}
    for name in CONTACT_FIELDS:
        value = contact.get(name.removeprefix("contact_"))
        if value:
            _named_cell(workbook, name).value = str(value)
    if source.meta.get("agency_name"):
        _named_cell(workbook, "agency_name").value = source.meta["agency_name"]
    sheet = workbook[SHEET_INDICATORS]
    for row, item in enumerate(source.meta.get("indicators") or [], start=2):
        sheet.cell(row, 1, item["label"])
        value = sheet.cell(row, 2)
        if "formula" in item:
            value.value = item["formula"].replace("{row-2}", str(row - 2)).replace("{row-1}", str(row - 1))
        else:
            value.value = item.get("value")
        if item.get("number_format"):
            value.number_format = item["number_format"]
        for column, key in ((3, "unit"), (4, "period"), (5, "note")):
            if item.get(key) is not None:
                sheet.cell(row, column, str(item[key]))
    for number, (title, blocks) in enumerate(source.case_studies, start=1):
        title_field, text_field = case_study_fields(number)
        _named_cell(workbook, title_field).value = title
        _named_cell(workbook, text_field).value = blocks_as_cell_text(blocks, bullet)
    workbook.properties.lastModifiedBy = contact.get("name", agency.name)
    workbook.save(path)


# --- other kinds of file ---------------------------------------------------------------------

def write_legacy_doc(path: Path, source: Source) -> None:
    """Only the signature of a Word 97-2003 file: the checker must reject it, never parse it."""
    path.write_bytes(OLE2_SIGNATURE + bytes(504) + b"Microsoft Word 97-2003 Document".ljust(1024, b"\0"))


def write_eml(path: Path, attachment: Path, source: Source, config: ReportConfig) -> None:
    email = source.meta["email"]
    agency = config.agency(source.meta["agency"])
    contact = source.meta.get("contact") or {}
    sender = email.get("from") or f"{contact.get('name', source.meta['agency_name'])} <{agency.email if agency else contact['email']}>"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = f"{config.partnership.short_name} Business Unit <{PARTNERSHIP_INBOX}>"
    message["Subject"] = email["subject"]
    message["Date"] = format_datetime(source.received.replace(tzinfo=BST))
    message["Message-ID"] = f"<{re.sub(r'[^a-z0-9]+', '-', path.stem.lower()).strip('-')}@sample.example>"
    message.set_content(email["body"].strip() + "\n")
    name = email.get("attachment_name", attachment.name)
    message.add_attachment(attachment.read_bytes(), *_mime_type(name), filename=name)
    for extra in email.get("extra_attachments", []):
        message.add_attachment(extra["content"].encode("utf-8"), *_mime_type(extra["name"]), filename=extra["name"])
    message.set_boundary(f"==sample-return-{len(path.stem)}-boundary==")
    path.write_bytes(message.as_bytes())


def _mime_type(name: str) -> tuple[str, str]:
    if name.endswith(".docx"):
        return "application", "vnd.openxmlformats-officedocument.wordprocessingml.document"
    if name.endswith(".xlsx"):
        return "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "application", "octet-stream"


# --- the whole folder ------------------------------------------------------------------------

def write_return(source: Source, out_dir: Path, config: ReportConfig) -> Path:
    layout = source.meta["layout"]
    if layout == "legacy":
        path = out_dir / source.file_name
        write_legacy_doc(path, source)
        return path
    email = source.meta.get("email")
    work_dir = Path(tempfile.mkdtemp()) if email else out_dir
    try:
        path = work_dir / source.file_name
        if source.meta["format"] == "xlsx":
            write_template_xlsx(path, source, config)
        elif layout == "template":
            write_template_docx(path, source, config)
        else:
            write_free_form_docx(path, source, config)
        normalise_zip(path, date_time=source.received.timetuple()[:6])
        path.chmod(0o644)
        if not email:
            return path
        eml = out_dir / f"{email.get('file', source.path.stem)}.eml"
        write_eml(eml, path, source, config)
        return eml
    finally:
        if email:
            shutil.rmtree(work_dir)


def readme(sources: list[Source], written: dict[Path, Path], config: ReportConfig) -> str:
    lines = [
        "# Sample agency returns",
        "",
        "Generated by `python3 tools/make_sample_returns.py` from `tools/sample_source/returns/*.md`;",
        "edit the sources, not these files. This README is documentation, not a return: `assembler check`",
        "should skip it.",
        "",
        "Rule of the sample: once the newest return per agency is chosen, every accepted return has",
        "warnings at most, so `assembler build` succeeds. Errors are planted only in returns that are",
        "superseded, rejected or from an unknown agency.",
        "",
        "Received: the e-mail's Date for an `.eml`; for a file saved straight into this folder, its entry under",
        "`received:` in report.yaml (written by the tool; git keeps no file times, so a fresh clone would otherwise",
        "date every file the day it was cloned). The tool also sets each file's time to its received time.",
        "",
    ]
    returned = {s.meta["agency"] for s in sources}
    silent = [a.name for a in config.agencies if a.id not in returned]
    lines += [f"Agencies in the registry that sent nothing (chase list): {', '.join(silent) or 'none'}.", ""]
    lines += ["| File | Agency | Format / layout | Received | Planted | What `assembler check` should say |",
              "|---|---|---|---|---|---|"]
    for source in sources:
        out = written[source.path]
        planted = ", ".join(source.meta.get("planted") or []) or "none"
        lines.append(
            f"| `{out.name}` | {source.meta['agency']} | {source.meta['format']} / {source.meta['layout']}"
            f"{' (e-mail)' if source.meta.get('email') else ''} | {source.received:%Y-%m-%d %H:%M} | {planted} | "
            f"{' '.join(str(source.meta.get('expect', '')).split()).replace('|', '/')} |"
        )
    return "\n".join(lines) + "\n"


def generate(out_dir: Path, config_path: Path = CONFIG_PATH) -> list[Path]:
    config = load_config(config_path)
    sources = all_sources()
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        if old.is_file():
            old.unlink()
    written = {source.path: write_return(source, out_dir, config) for source in sources}
    for source, path in ((s, written[s.path]) for s in sources):
        stamp = source.received.replace(tzinfo=BST).timestamp()
        os.utime(path, (stamp, stamp))  # as if saved into returns/ when it arrived (a clone loses it: see received:)
    (out_dir / "README.md").write_text(readme(sources, written, config), encoding="utf-8")
    return sorted(written.values())


def record_received(config_path: Path = CONFIG_PATH) -> None:
    """The receipt log the officer keeps (`received:` in report.yaml): when each file saved straight into returns/
    arrived. Git keeps no file times, so in a fresh clone this record is what makes the late returns late."""
    from assembler.config.edit import write_entry

    for source in all_sources():
        if source.meta.get("email"):
            continue  # an e-mail carries its own Date
        when = source.received.replace(tzinfo=BST).isoformat(sep=" ")
        write_entry(config_path, "received", source.file_name, when,
                    comment="When each return saved straight into returns/ arrived (an e-mail's own Date is used for e-mails).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"wrote {path}")
    if args.out.resolve() == DEFAULT_OUT.resolve():
        record_received()
        print(f"recorded when each return arrived under received: in {CONFIG_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
