"""Read every return in the given files and folders into an `Intake`.

Each file is screened (`readers.safety`), read by the reader its kind has in the
table of readers (`readers.table.READERS`) in a worker process with a time
limit, matched to a registered agency and validated. One bad file becomes a
rejected `Problem`; it never stops the others.
"""

from __future__ import annotations

import codecs
import dataclasses
import multiprocessing
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator

from assembler.config import ReportConfig
from assembler.intake_types import Intake
from assembler.outputs import sha256_file
from assembler.parallel import die_with_parent, frozen_heap, usable_cores
from assembler.problems import Problem
from assembler.readers.agency_match import AgencyMatcher, Clue, display_name, match_file_key, name_clues
from assembler.readers.base import ReturnContent, excerpt, period_from_text, reader_warning
from assembler.readers.email_return import Email, forwarded_senders, shared_links
from assembler.readers.safety import Rejection, run_with_limits
from assembler.readers.subheadings import NOTE_CODE as SUBHEADINGS_NOTE, describe_subheadings
from assembler.readers.table import Reader, reader_for
from assembler.schema import SectionKey, SourceFile, Submission
from assembler.validate import validate_intake

IGNORED_NAMES = {"readme.md", "readme.txt", "thumbs.db", "desktop.ini"}
BACKSTOP_SECONDS = 5
SHORT_PERIOD = re.compile(r"(?<!\d)(\d{2})[-_ ]?(\d{2})(?!\d)")


@dataclass
class ReadItem:
    """One return read from a file: a file itself, or one attachment of an e-mail."""

    content: ReturnContent
    source: SourceFile


def discover(paths: list[Path]) -> list[Path]:
    """Files under `paths`, recursively, in name order; Office's lock and temporary files, hidden files and
    READMEs left out.

    Links and special files (pipes, devices) are listed too, never followed or opened, so that
    the screen refuses each by name instead of reading a file from elsewhere (or waiting forever)."""
    found: set[Path] = set()
    for path in paths:
        candidates = _entries_under(path) if path.is_dir() else [path] if os.path.lexists(path) else []
        for candidate in candidates:
            relative = candidate.relative_to(path) if candidate != path else Path(candidate.name)
            if any(part.startswith(".") for part in relative.parts) or _office_working_file(candidate.name):
                continue
            if candidate.name.casefold() in IGNORED_NAMES:
                continue
            found.add(candidate)
    return sorted(found, key=lambda p: (str(p.parent), p.name))


def _office_working_file(name: str) -> bool:
    """Word's and Excel's own files beside a document being edited: the lock file ('~$return.docx') and the
    temporary copies ('~WRL0003.tmp', '~WRD0000.tmp'), which hold a half-saved draft, never the return sent."""
    return name.startswith("~") or name.casefold().endswith(".tmp")


def _entries_under(folder: Path) -> list[Path]:
    """Every entry under `folder` that is not a folder itself; links to folders are entries, not followed."""
    entries = []
    for parent, folders, files in os.walk(folder, followlinks=False):
        base = Path(parent)
        entries.extend(base / name for name in files)
        # os.walk lists a link to a folder among the folders, and does not enter it.
        entries.extend(base / name for name in folders if (base / name).is_symlink())
    return entries


def read_returns(paths: list[Path], config: ReportConfig, image_dir: Path,
                 meanwhile: Callable[[Callable[[], bool]], None] | None = None, cache=None) -> Intake:
    """Read every return under `paths`. `meanwhile` runs in this process while the workers read
    (the build reads the partnership's own chapters then, instead of waiting); it is given a
    function that tells whether the workers are still reading. With a `cache` (reading_cache.ReadingCache)
    an unchanged return is taken from what reading it gave last time instead of being read again."""
    files = discover(paths)
    items: list[ReadItem] = []
    rejected: list[Problem] = []
    firewall = _Firewall()
    # Each file's items through the firewall as soon as they are back, while the workers read the next files.
    for outcome in _read_or_recall(files, config, image_dir, meanwhile or (lambda still_reading: None), cache):
        for entry in outcome:
            made = firewall(entry) if isinstance(entry, ReadItem) else entry
            (items if isinstance(made, ReadItem) else rejected).append(made)
    matcher = AgencyMatcher(config)
    submissions, notes = [], []
    for item in items:
        submission, note = _to_submission(item, config, matcher)
        if _is_blank_template(item.content):
            # The officer's own blank template saved into returns/ by mistake: not the agency's return, nothing to chase.
            notes.append(_note("blank_template", submission, BLANK_TEMPLATE_NOTE, BLANK_TEMPLATE_FIX))
            continue
        submissions.append((submission, item.content))
        if note:
            notes.append(_note("saved_after_received", submission, note))
    rejected = [_guess_owner(r, matcher) for r in rejected]
    intake = validate_intake(submissions, config)
    notes += _subheading_notes(submissions, intake)
    intake.notes = sorted(intake.notes + notes, key=lambda n: (n.agency_id, n.file, n.message))
    intake.rejected = sorted(rejected, key=lambda r: r.file)
    return intake


def _subheading_notes(submissions, intake: Intake) -> list[Problem]:
    """Per file that is used, the lines read as sub-headings (readers/subheadings.py): a note, never chased."""
    used = {source.label for s in intake.accepted for source in [s.source, *s.section_sources.values()]}
    return [_note(SUBHEADINGS_NOTE, submission, describe_subheadings(content.subheadings))
            for submission, content in submissions if content.subheadings and submission.source.label in used]


BLANK_TEMPLATE_NOTE = "this is the blank template, not a filled return; it is not counted as the agency's return"
BLANK_TEMPLATE_FIX = "move it out of the returns folder"


def _note(code: str, submission: Submission, message: str, fix: str = "") -> Problem:
    """Something about one file for the officer's information only."""
    return Problem(code=code, severity="note", agency=submission.agency_name, agency_id=submission.agency_id,
                   file=submission.source.label, message=message, fix=fix)


def _rejected(path: Path, message: str, fix: str, code: str, agency_id: str | None = None) -> Problem:
    """A file, or an attachment of an e-mail, that cannot be used as a return."""
    return Problem(code=code, message=message, fix=fix, file=str(path), agency_id=agency_id)


def _is_blank_template(content: ReturnContent) -> bool:
    """A template as `assembler templates` or `assembler send` made it: nothing in any section, figure or contact."""
    return content.is_template and not any(content.sections.values()) and not content.indicators \
        and not content.case_studies and content.contact is None


class _Firewall:
    """Every return through the firewall (readers/printable.py): what passes can be printed by any writer.
    A return the firewall itself cannot handle is set aside like a file that cannot be read. Its module is
    loaded when the first return is back (`check` loads it while the workers read, not before forking them)."""

    def __init__(self):
        self._pictures = None  # one PictureMaker for the run: a picture sent twice is made once

    def __call__(self, item: ReadItem) -> ReadItem | Problem:
        from assembler.readers.printable import PictureMaker, make_printable

        if self._pictures is None:
            self._pictures = PictureMaker()
        try:
            return ReadItem(make_printable(item.content, self._pictures), item.source)
        except Exception as error:
            return _unreadable(Path(item.source.path), error, item.source.attachment)


# --- reading, in worker processes -------------------------------------------------------

def _read_or_recall(files: list[Path], config: ReportConfig, image_dir: Path,
                    meanwhile: Callable[[Callable[[], bool]], None], cache) -> Iterator[list]:
    """Each file's entries, in file order, as each is ready: kept ones from the cache, the others read (and then kept)."""
    if cache is None:
        yield from _read_all(files, config, image_dir, meanwhile)
        return
    kept, keys = cache.lookup(files, config, image_dir)
    unread = [path for path in files if path not in kept]
    read = _read_all(unread, config, image_dir, meanwhile)  # in the order of `unread`, which is file order
    for path in files:
        if path in kept:
            yield kept[path]
            continue
        entries = next(read)
        if path in keys:
            cache.store(path, keys[path], entries, image_dir)
        yield entries
    next(read, None)  # the reader's end: its workers closed and, with nothing unread, `meanwhile` run
    cache.evict()


def _read_all(files: list[Path], config: ReportConfig, image_dir: Path,
              meanwhile: Callable[[Callable[[], bool]], None]) -> Iterator[list]:
    """Each file's read items or rejections, in file order, each as soon as it is back.

    Worker processes because parsing is CPU-bound (threads would share one
    core under the GIL) and because a process stuck on a hostile file can be
    killed when its time is up, which a thread cannot.
    """
    if not files or multiprocessing.current_process().daemon:
        # Nothing to read, or a daemonic worker that may not start processes: read here, still under run_with_limits.
        meanwhile(lambda: False)
        for path in files:
            yield read_file(path, config, image_dir)
        return
    limit = config.limits.max_seconds_per_file
    workers = max(1, min(len(files), usable_cores()))
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else None)
    # Forked workers inherit the config from here instead of unpickling it (it grows with the registry) per file,
    # and the readers' libraries, imported once with the table of readers instead of once in every worker (measured faster).
    _SHARED.update(config=config, image_dir=image_dir)
    codecs.lookup("cp437")  # zipfile's codec for member names not marked UTF-8: loaded once here, not in each worker
    with frozen_heap():
        pool = context.Pool(workers, initializer=die_with_parent, initargs=(os.getpid(),))
    stuck = False
    try:
        pending = [(path, pool.apply_async(_read_shared, (path,)) if forking else pool.apply_async(read_file, (path, config, image_dir)))
                   for path in files]
        # After the fork: never fork while this process may be importing (the pool's own threads can still
        # fork a replacement for a worker that died, a hazard that does not arise in a normal run).
        # The objects already here (modules, config) frozen again while `meanwhile` runs: the collections its
        # allocations trigger would otherwise walk them over and over (a fifth of its time, measured).
        with frozen_heap():
            meanwhile(lambda: not all(result.ready() for _, result in pending))
        for path, result in pending:
            try:
                # The worker stops itself at `limit` (SIGALRM); this is the backstop for a C call that never returns.
                entries = result.get(timeout=limit + BACKSTOP_SECONDS)
            except multiprocessing.TimeoutError:
                stuck = True
                entries = [_rejected(path, f"{path.name} took more than {limit:g} seconds to read and was stopped "
                                     "(it may be damaged or deliberately complex)",
                                     "ask the agency to save the return again as a new .docx or .xlsx and send that; "
                                     "or raise limits.max_seconds_per_file in report.yaml if the file is genuine and large",
                                     "read_timeout")]
            except Exception as error:  # a result that could not come back from the worker
                entries = [_unreadable(path, error)]
            yield entries
    finally:
        if stuck:
            pool.terminate()
        else:
            pool.close()
        pool.join()


_SHARED: dict = {}


def _read_shared(path: Path) -> list:
    return read_file(path, _SHARED["config"], _SHARED["image_dir"])


def read_file(path: Path, config: ReportConfig, image_dir: Path) -> list:
    """ReadItems and rejected Problems for one file (several for an e-mail with several attachments)."""
    try:
        reader = _screen(path, config.limits)
        budget = {"seconds": config.limits.max_seconds_per_file, "memory_mb": config.limits.max_memory_mb_per_file}
        if reader.gives == "mail":
            return run_with_limits(_read_email_file, path, reader, config, image_dir, **budget)
        content = run_with_limits(reader.read, path, image_dir, **budget)
        return [ReadItem(content, SourceFile(path=str(path), sha256=sha256_file(path), format=reader.kind, received=None))]
    except Rejection as rejection:
        return [rejection.problem.with_(file=str(path))]
    except Exception as error:  # any reader failure is this file's problem, never the run's
        return [_unreadable(path, error)]


def _screen(path: Path, limits) -> Reader:
    """Every file passes here first: size, true type, zip bombs, XML declarations, macros; then to the
    reader for what the screen found it to be, whatever its name says."""
    return reader_for(path, limits)


MAX_EMAIL_DEPTH = 3  # an e-mail forwarded inside an e-mail inside an e-mail: deeper is not how returns arrive


def _read_email_file(path: Path, reader: Reader, config: ReportConfig, image_dir: Path) -> list:
    with tempfile.TemporaryDirectory(prefix="assembler-mail-") as work:
        message, owner_agency = _sending_agency(reader.read(path, Path(work)), AgencyMatcher(config))
        return _read_message(path, reader.kind, message, owner_agency.id if owner_agency else None,
                             config, image_dir, Path(work), depth=1, within="")


def _sending_agency(message: Email, matcher: AgencyMatcher):
    """(the message, the agency that sent it, if its sender says). An e-mail forwarded in its text by someone
    whose address is no agency's is the agency's it quotes as the original sender ('From: SEND Local Offer
    <sendlo@...>'), as `assembler fetch` reads it: the message is given that sender."""
    agency = matcher.by_sender(message.sender)
    if agency is not None:
        return message, agency
    for address in forwarded_senders(message.body):
        agency = matcher.by_sender(address)
        if agency is not None:
            return dataclasses.replace(message, sender=address, sender_name=None), agency
    return message, None


def _read_message(path: Path, kind: str, message: Email, owner: str | None, config: ReportConfig, image_dir: Path,
                  work: Path, depth: int, within: str) -> list:
    """The entries for one e-mail's attachments; an attached e-mail (a forwarded return) is read in turn,
    its returns credited to its own sender and date, down to MAX_EMAIL_DEPTH."""
    entries: list = []
    returns = [a for a in message.attachments if not _is_picture(a.path)]  # a logo in a signature is not a return
    for index, attachment in enumerate(returns, start=1):
        described = f"{within}{attachment.described}"
        try:
            inner = _screen(attachment.path, config.limits)
            if inner.gives == "mail":
                if depth >= MAX_EMAIL_DEPTH:
                    raise Rejection(
                        f"the attachment {described} is an e-mail inside e-mails more than {MAX_EMAIL_DEPTH} deep, "
                        "which is not read", "ask the agency to attach the filled-in .docx or .xlsx template to one "
                        "e-mail and send it again", code="email_too_deep")
                forwarded = inner.read(attachment.path, work / f"{depth}-{index}")
                forwarded_owner = AgencyMatcher(config).by_sender(forwarded.sender)
                entries.extend(_read_message(
                    path, kind, forwarded, forwarded_owner.id if forwarded_owner else owner, config, image_dir, work,
                    depth + 1, f"{described} > "))
                continue
            content = inner.read(attachment.path, image_dir)
        except Rejection as rejection:
            reason = rejection.reason if rejection.reason.startswith("the attachment") else f"attachment {described}: {rejection.reason}"
            entries.append(rejection.problem.with_(message=reason, file=str(path), agency_id=owner))
            continue
        except Exception as error:
            entries.append(_unreadable(path, error, described, owner))
            continue
        if content.agency_name is None and message.sender_name and not content.title_text:
            content.title_text = content.sender_name_as_title = message.sender_name  # a clue, not a name to offer
        entries.append(ReadItem(content, SourceFile(
            path=str(path), sha256=sha256_file(path), format=kind, received=message.date,
            sender=message.sender, attachment=attachment.name,
        )))
    if not returns:
        entries.append(_without_a_return(path, message, within, owner))
    return entries


def _without_a_return(path: Path, message: Email, within: str, owner: str | None) -> Problem:
    """An e-mail with no return attached, saying what it does hold: pictures only, or the return typed in its text."""
    subject = message.subject or path.name
    where = f" (forwarded inside {path.name})" if within else ""
    fix = "ask the agency to attach the filled-in .docx or .xlsx template and send it again"
    pictures = [a.name for a in message.attachments]
    headings = [] if pictures else _section_headings_in(message.body)
    if message.sealed:
        said = (f"the e-mail '{subject}'{where} is {message.sealed} (S/MIME or PGP), so its text and any return "
                "attached cannot be opened here")
        fix = ("open it in the mail program that can (the partnership's mailbox in Outlook) and save the attached "
               "return into returns/; or ask the agency to send it again without encryption")
    elif shared := shared_links(message.body):
        said = (f"the e-mail '{subject}'{where} links to a file kept online ({excerpt(shared[0], 80)}) instead of "
                "attaching it: only attached files are read")
        fix = ("open the link, download the file and save it into returns/; or ask the agency to attach the file "
               "itself and send it again")
    elif pictures:
        listed = ", ".join(f"'{name}'" for name in pictures[:3]) + (", ..." if len(pictures) > 3 else "")
        said = (f"the e-mail '{subject}'{where} has only pictures attached ({listed}): a picture or scan of a return "
                "cannot be read")
        fix = "ask the agency to attach the filled-in .docx or .xlsx template itself, not a picture of it"
    elif len(headings) >= 2:
        said = (f"the e-mail '{subject}'{where} has no attachment, but its text looks like the return itself (it has "
                f"the headings {', '.join(repr(h) for h in headings[:3])}); a return is read from an attached file")
        fix += ", or copy the e-mail's text into the template and save it in returns/"
    else:
        said = f"the e-mail '{subject}'{where} has no attachment"
    return _rejected(path, said, fix, "email_without_attachment", owner)


SECTION_PARTS = {key.value for key in SectionKey}


def _section_headings_in(body: str) -> list[str]:
    """The lines of an e-mail's text that head a return's sections ('About our agency and what we do')."""
    from assembler.readers.headings import match_heading

    found = []
    for line in (line.strip() for line in re.split(r"[\n\t]", body)):  # a table's cells apart (html_words)
        match = match_heading(line) if line else None
        if match and match.part in SECTION_PARTS and line not in found:
            found.append(line)
    return found


PICTURE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def _is_picture(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4).startswith(PICTURE_MAGICS)


def _unreadable(path: Path, error: Exception, attachment: str | None = None, owner: str | None = None) -> Problem:
    what = f"attachment {attachment} of {path.name}" if attachment else path.name
    detail = str(error).splitlines()[0][:160] if str(error) else type(error).__name__
    return _rejected(path, f"{what} could not be read as a return ({detail})",
                     "ask the agency to open the file, save it again as a new .docx or .xlsx, and send that copy",
                     "unreadable_return", owner)


# --- matching to the registry -----------------------------------------------------------

def _to_submission(item: ReadItem, config: ReportConfig, matcher: AgencyMatcher) -> tuple[Submission, str | None]:
    """The return as a Submission, attributed and dated; with a note for the officer when the document's own
    saved time contradicts when it was received."""
    content, source = item.content, item.source
    name_source = Path(source.attachment or source.path).stem
    # A figures sheet may carry its agency in a row of its own ('Organisation | Wirral Met College').
    labels = content.labels + [(i.label, i.raw) for i in content.indicators if i.value is None and i.raw]
    names = name_clues(content.agency_name, content.is_template, content.title_text, labels)
    # The page header (which the report does not print) after the sender, before the file's name.
    header = [Clue(line, "the page header") for line in content.header_lines]
    own_name, *containers = _file_clues(source)  # the attachment's name or the file's; then the e-mail's, the folder's
    identity_id = content.identity.agency_id if content.identity else None
    attribution = matcher.attribute(identity_id, source.path, source.attachment, names, source.sender,
                                    header + [own_name] + containers, own_clues=header + [own_name])
    if attribution.agency is not None:
        agency_id, agency_name, how = attribution.agency.id, attribution.agency.name, attribution.how
        if attribution.contradicted_by is not None:
            content.notes.append(_contradiction_warning(attribution, source))
    else:
        # A sender's display name may name the agency (it was a clue), but is most often a person's: never offered.
        offered = [clue for clue in names if clue.text != content.sender_name_as_title]
        agency_name = identity_id or display_name(offered, name_source, matcher.partnership_words)
        agency_id = identity_id or _slug(agency_name)
        how = attribution.how
        if attribution.guesses:
            how = "unclear: looks like " + "; or ".join(g.describe() for g in attribution.guesses)
    received, received_from = _received(source, config)
    note = _saved_after_received(content.modified, received, received_from, source, config)
    return Submission(
        agency_id=agency_id,
        agency_name=agency_name,
        period=_period(content, name_source, config),
        source=source.model_copy(update={"received": received, "received_from": received_from, "attributed_by": how,
                                         "looks_like": [g.agency.id for g in attribution.guesses]}),
        about=content.sections["about"],
        activity=content.sections["activity"],
        priorities=content.sections["priorities"],
        indicators=content.indicators,
        case_studies=content.case_studies,
        contact=content.contact,
    ), note


def _contradiction_warning(attribution, source) -> Problem:
    """The return names one agency, its own file name or page header another: filed under the first, and said so."""
    from assembler.validate import assign_key, assign_line

    other, clue = attribution.contradicted_by
    name = source.attachment or assign_key(source.path)  # an assign: key names an attachment by its own name
    return reader_warning(
        "agency_contradicted", "agency",
        f"the return is filed under {attribution.agency.name} ({attribution.how}), but {clue} names {other.name}",
        f"check with the sender which agency it is from; if it is {other.name}'s, add `{assign_line(name, other.id)}` "
        f"under `assign:` in report.yaml (or run: assembler assign \"{name}\" {other.id})")


def _file_clues(source) -> list[Clue]:
    """The attachment's name, the file's name and the folder it was saved in (not the returns folder itself)."""
    path = Path(source.path)
    clues = [Clue(Path(source.attachment).stem, "the attachment's name")] if source.attachment else []
    clues.append(Clue(path.stem, "the file name"))
    if path.parent.name and path.parent.name.casefold() not in ("returns", "inputs", "."):
        clues.append(Clue(path.parent.name, "the folder name"))
    return clues


RECEIVED_FROM_RECORD = "received: in report.yaml"
RECEIVED_FROM_EMAIL = "the e-mail's Date"
RECEIVED_FROM_FILE = "the file's time in returns/"


def _received(source: SourceFile, config: ReportConfig) -> tuple[datetime | None, str | None]:
    """When the return arrived: the officer's record (`received:` in report.yaml, which a clone keeps), the Date of
    the e-mail it came in, else the time the file was saved into returns/ (which git does not keep)."""
    key = match_file_key(config.received, source.path, source.attachment)
    if key is not None:
        return config.received[key], RECEIVED_FROM_RECORD
    if source.received is not None:
        return source.received, RECEIVED_FROM_EMAIL
    try:
        mtime = os.stat(source.path).st_mtime
    except OSError:
        return None, None
    return datetime.fromtimestamp(int(mtime), tz=timezone.utc), RECEIVED_FROM_FILE


SAVED_TIME_TOLERANCE = timedelta(days=1)  # saved times are often local times labelled UTC


def _saved_after_received(modified: datetime | None, received: datetime | None, received_from: str | None,
                          source: SourceFile, config: ReportConfig) -> str | None:
    """The document's own saved time is only a hint: worth a note when it is later than its arrival."""
    saved = _trusted_modified(modified, config)
    if saved is None or received is None or saved <= received + SAVED_TIME_TOLERANCE:
        return None
    return (f"{source.label}: the document says it was last saved on {saved:%d %B %Y}, after it was received "
            f"({received:%d %B %Y}, from {received_from}); the received date is used. If it really arrived later, "
            f"record when under received: in report.yaml")


def _period(content: ReturnContent, file_stem: str, config: ReportConfig) -> str:
    """What year the return is for: the template's property or field, a period in its title or file name,
    the year of its activity heading; the report's own period when nothing says otherwise."""
    if content.identity:
        return content.identity.period
    if content.period:
        return content.period
    from_name = period_from_text(file_stem) or _short_period(file_stem)
    if from_name:
        return from_name
    if content.activity_year:
        return f"{content.activity_year}-{(content.activity_year + 1) % 100:02d}"
    return config.period


def _short_period(text: str) -> str | None:
    """'23-24' or '2324' in a file name."""
    for match in SHORT_PERIOD.finditer(text):
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 == end:
            return f"20{start:02d}-{end:02d}"
    return None


def _trusted_modified(modified: datetime | None, config: ReportConfig) -> datetime | None:
    """The file's saved time, unless it is still the fixed stamp every blank template carries."""
    if modified is None:
        return None
    stamp = datetime.combine(config.publication_date, time(0), tzinfo=timezone.utc)
    return None if modified == stamp else modified


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "unknown"


def _guess_owner(rejected: Problem, matcher: AgencyMatcher) -> Problem:
    if rejected.agency_id:
        return rejected
    path = Path(rejected.file)
    assigned = matcher.assigned(str(path), None)
    agency = assigned[1] if assigned else matcher.by_text(path.stem) or matcher.by_text(path.parent.name)
    if agency is None:
        return rejected
    return rejected.with_(agency_id=agency.id)
