"""Generate a synthetic partnership of N agencies, each with a realistic return, for the benchmark.

    python3 bench/make_partnership.py 300 /tmp/bench-300

OUT gets the sample's chapters, data, briefings and brand (copied from inputs/),
a report.yaml listing N generated agencies, and returns/ with one return per
agency: about 500 words over the three sections, a bulleted list and an
indicator table; 80 % as free-form .docx, 20 % as .xlsx. Deterministic: the
same N gives the same files.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from assembler.deterministic_zip import normalise_zip

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "inputs"
PERIOD = "2023-24"
ACTIVITY_YEAR, PLAN_YEAR = 2023, 2024
SECTIONS = (
    ("about", "About our agency and what we do", 110),
    ("activity", f"{ACTIVITY_YEAR} activity and what we would like to celebrate", 230),
    ("priorities", f"Planned safeguarding priorities for {PLAN_YEAR}", 110),
)
SAVED = datetime(2024, 4, 19, 15, 30)  # before the due date, so no return is late

PLACES = (
    "Wirral", "Birkenhead", "Wallasey", "Bebington", "Heswall", "Hoylake", "West Kirby", "Moreton", "Bromborough",
    "Eastham", "Neston", "Liscard", "New Brighton", "Seacombe", "Rock Ferry", "Tranmere", "Prenton", "Oxton",
    "Upton", "Greasby", "Irby", "Pensby", "Thingwall", "Leasowe", "Saughall Massie", "Frankby", "Caldy", "Meols",
    "Spital", "Port Sunlight", "Higher Bebington", "Noctorum", "Woodchurch", "Arrowe Park", "Claughton", "Egremont",
    "Poulton", "Bidston", "Ford", "Landican",
)
SERVICES = (
    ("Children's Centre", "Local authority"), ("Primary School", "Education"), ("High School", "Education"),
    ("Youth Club", "Voluntary and community"), ("GP Practice", "Health"), ("Health Visiting Team", "Health"),
    ("School Nursing Team", "Health"), ("Neighbourhood Policing Team", "Police"), ("Housing Association", "Housing"),
    ("Family Support Service", "Voluntary and community"), ("Foodbank", "Voluntary and community"),
    ("Sports Trust", "Voluntary and community"), ("Library Service", "Local authority"), ("Dental Practice", "Health"),
    ("Early Years Nursery", "Education"), ("Mental Health Team", "Health"), ("Leisure Centre", "Local authority"),
    ("Scout District", "Voluntary and community"), ("Faith Network", "Voluntary and community"),
    ("Domestic Abuse Service", "Voluntary and community"), ("Sixth Form College", "Education"),
    ("Pharmacy Group", "Health"), ("Community Safety Team", "Local authority"), ("Young Carers Service", "Voluntary and community"),
    ("Fire Station", "Fire and rescue"), ("Special School", "Education"), ("Residential Children's Home", "Local authority"),
    ("Advice Centre", "Voluntary and community"), ("Music Service", "Education"), ("Drug and Alcohol Service", "Health"),
)

OPENERS = (
    "This year {agency} worked closely with partners across the area to keep children safe.",
    "{agency} supports children, young people and their families in {place} and the surrounding communities.",
    "Our staff at {agency} know the families we serve well, and they know when to worry.",
    "Safeguarding is part of everything {agency} does, from the front desk to the board.",
)
SENTENCES = (
    "We trained {n} members of staff in {topic}, and {pct}% said they felt more confident afterwards.",
    "Referrals to children’s social care from our teams rose to {n}, most of them about {topic}.",
    "We took part in {small} multi-agency audits and acted on every recommendation about {topic}.",
    "Our designated safeguarding lead met the partnership’s {topic} group {small} times.",
    "Practitioners completed {n} early help assessments – more than last year – with a focus on {topic}.",
    "We listened to {n} children and young people, who told us what helps them feel safe.",
    "Supervision now includes a standing item on {topic}, so that concerns are discussed early.",
    "We spent £{money} on training and resources about {topic}.",
    "Attendance at strategy meetings was {pct}%, and we will keep it there.",
    "Families said that our workers explained things clearly and kept their promises.",
    "We reviewed our policy on {topic} and shared it with every member of staff.",
    "A young person’s story showed us how much difference a trusted adult makes.",
)
TOPICS = (
    "neglect", "child exploitation", "domestic abuse", "online safety", "mental health", "missing from home",
    "the voice of the child", "contextual safeguarding", "the Graded Care Profile", "fathers and male carers",
    "children with special educational needs", "self-harm", "school attendance", "transitions to adulthood",
)
BULLETS = (
    "Every new starter completes safeguarding induction within four weeks.",
    "Children’s views are recorded at every review.",
    "Managers audit {small} case files each quarter.",
    "We attend every child protection conference we are invited to.",
    "Staff know how to escalate a concern using the partnership’s procedure.",
    "We share learning from case reviews at team meetings within a month.",
)
INDICATORS = (
    ("Staff trained in safeguarding", "%", lambda r: r.randint(62, 100)),
    ("Referrals to children's social care", "count", lambda r: r.randint(5, 480)),
    ("Early help assessments started", "count", lambda r: r.randint(0, 220)),
    ("Strategy meetings attended", "%", lambda r: r.randint(70, 100)),
    ("Safeguarding supervision sessions", "count", lambda r: r.randint(10, 900)),
    ("Spend on safeguarding training", "£", lambda r: r.randint(500, 60000)),
)


def agencies(count: int) -> list[dict]:
    """N distinct agencies: '<place> <service>', ids from the name, 1 in 5 sent the Excel template."""
    combos = [(place, service) for service in SERVICES for place in PLACES]
    if count > len(combos):
        raise SystemExit(f"at most {len(combos)} agencies can be generated")
    rng = random.Random(count)
    chosen = rng.sample(combos, count)
    result = []
    for index, (place, (service, sector)) in enumerate(chosen):
        name = f"{place} {service}"
        agency_id = re.sub(r"[^a-z0-9]+", "-", name.casefold().replace("'", "")).strip("-")
        result.append({
            "id": agency_id, "name": name, "sector": sector,
            "email": f"safeguarding@{agency_id}.example",
            "format": "xlsx" if index % 5 == 4 else "docx", "due": date(2024, 4, 30),
        })
    return result


def _fill(template: str, rng: random.Random, agency: dict, place: str) -> str:
    return template.format(
        agency=agency["name"], place=place, topic=rng.choice(TOPICS), n=rng.randint(12, 640),
        pct=rng.randint(55, 99), small=rng.randint(2, 12), money=f"{rng.randint(1, 40) * 250:,}",
    )


def _prose(rng: random.Random, agency: dict, words: int, opener: bool) -> list[str]:
    """Paragraphs of about `words` words."""
    place = agency["name"].split()[0]
    paragraphs, current, count = [], [], 0
    if opener:
        current.append(_fill(rng.choice(OPENERS), rng, agency, place))
    while count < words:
        sentence = _fill(rng.choice(SENTENCES), rng, agency, place)
        current.append(sentence)
        count += len(sentence.split())
        if len(current) >= 4:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _content(agency: dict, index: int) -> dict:
    rng = random.Random(f"{agency['id']}-{index}")
    place = agency["name"].split()[0]
    sections = {key: _prose(rng, agency, words, key == "about") for key, _, words in SECTIONS}
    bullets = [_fill(b, rng, agency, place) for b in rng.sample(BULLETS, 4)]
    indicators = [(label, unit, make(rng)) for label, unit, make in rng.sample(INDICATORS, 5)]
    return {"sections": sections, "bullets": bullets, "indicators": indicators}


def _identifier(agency: dict) -> str:
    return f"assembler-return;agency={agency['id']};period={PERIOD};version=1"


def write_docx(agency: dict, content: dict, path: Path) -> None:
    from docx import Document

    document = Document()
    props = document.core_properties
    props.title, props.author = f"{agency['name']} annual return {PERIOD}", agency["name"]
    props.identifier = _identifier(agency)
    props.created = props.modified = SAVED
    props.last_modified_by = agency["name"]
    document.add_heading(f"{agency['name']}: safeguarding return {PERIOD}", level=1)
    for key, title, _ in SECTIONS:
        document.add_heading(title, level=2)
        for paragraph in content["sections"][key]:
            document.add_paragraph(paragraph)
        if key == "activity":
            document.add_paragraph("What we are proud of:")
            for bullet in content["bullets"]:
                document.add_paragraph(bullet, style="List Bullet")
    document.add_heading("Key figures", level=2)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Indicator", "Value", "Unit", "Period", "Note")):
        cell.text = text
    for label, unit, value in content["indicators"]:
        row = table.add_row().cells
        shown = f"{value}%" if unit == "%" else f"£{value:,}" if unit == "£" else str(value)
        for cell, text in zip(row, (label, shown, "" if unit in ("%", "£", "count") else unit, PERIOD, "")):
            cell.text = text
    document.save(path)
    normalise_zip(path, SAVED.timetuple()[:6])


def write_xlsx(agency: dict, content: dict, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.properties.identifier = _identifier(agency)
    book.properties.title = f"{agency['name']} annual return {PERIOD}"
    book.properties.creator = agency["name"]
    book.properties.created = book.properties.modified = SAVED
    sheet = book.active
    sheet.title = "Return"
    sheet.append(["Agency", agency["name"]])
    sheet.append(["Period", PERIOD])
    for key, title, _ in SECTIONS:
        text = "\n\n".join(content["sections"][key])
        if key == "activity":
            text += "\n\n" + "\n".join(f"- {bullet}" for bullet in content["bullets"])
        sheet.append([title, text])
    sheet.append(["Contact name", f"Safeguarding lead, {agency['name']}"])
    sheet.append(["Contact email", agency["email"]])
    figures = book.create_sheet("Indicators")
    figures.append(["Indicator", "Value", "Unit", "Period", "Note"])
    for label, unit, value in content["indicators"]:
        figures.append([label, value, unit if unit != "count" else "", PERIOD, ""])
    book.save(path)
    normalise_zip(path, SAVED.timetuple()[:6])  # openpyxl stamps the time of saving


def make_partnership(count: int, out: Path) -> Path:
    """Write the partnership into `out` (replacing it) and return `out`."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(SAMPLE, out, ignore=shutil.ignore_patterns("returns", "report.yaml", ".*"))
    config = yaml.safe_load((SAMPLE / "report.yaml").read_text(encoding="utf-8"))
    generated = agencies(count)
    config["agencies"] = generated
    (out / "report.yaml").write_text(
        f"# Benchmark partnership: {count} generated agencies (bench/make_partnership.py)\n"
        + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=200),
        encoding="utf-8",
    )
    returns = out / "returns"
    returns.mkdir()
    for index, agency in enumerate(generated):
        content = _content(agency, index)
        stem = f"{agency['name']} return {PERIOD}"
        if agency["format"] == "xlsx":
            write_xlsx(agency, content, returns / f"{stem}.xlsx")
        else:
            write_docx(agency, content, returns / f"{stem}.docx")
    mark_received(returns)
    return out


def mark_received(returns: Path) -> None:
    """Give every return the file time of its arrival before the due date: with no `received:` record the build
    takes a return's arrival from its file time, and files written today would all be reported as late."""
    arrived = SAVED.replace(tzinfo=timezone.utc).timestamp()
    for path in returns.iterdir():
        os.utime(path, (arrived, arrived))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of agencies (and returns)")
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    args = parser.parse_args(argv)
    make_partnership(args.count, args.out)
    print(f"{args.count} returns in {args.out / 'returns'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
