"""Make templates/docx/report.docx, the Word template of the annual report, and plain.docx.

    python3 tools/make_docx_template.py [--config inputs/report.yaml] [--out templates/docx/report.docx]

(--out moves only report.docx; plain.docx is always written to templates/docx/.)

The template itself is made by assembler/writers/docx/template.py, which the
writer also uses in memory when this file is missing. The brand is applied from
report.yaml. The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assembler.config import load_config  # noqa: E402
from assembler.deterministic_zip import normalise_zip  # noqa: E402
from assembler.word_templates import PLAIN_TEMPLATE, REPORT_TEMPLATE, slim_default_document  # noqa: E402
from assembler.writers.docx.settings import set_core_properties  # noqa: E402
from assembler.writers.docx.template import TEMPLATE_DATE, report_template  # noqa: E402

DEFAULT_CONFIG = REPO / "inputs" / "report.yaml"


def make_template(config_path: Path, out: Path) -> Path:
    config = load_config(config_path)
    return _save(report_template(config.brand, config.partnership.language, config.partnership.name), out)


def make_plain_template(out: Path = PLAIN_TEMPLATE) -> Path:
    """What the one-pagers and the agencies' blank Word returns start from: python-docx's default template
    without the parts none of them uses. Their writers set the page, fonts, colours and language from
    report.yaml each time, so this template holds no brand."""
    document = slim_default_document()
    set_core_properties(document, title="Plain template", author="assembler", subject="", language="en-GB",
                        when=TEMPLATE_DATE)
    return _save(document, out)


def _save(document, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    normalise_zip(out, date_time=(TEMPLATE_DATE.year, TEMPLATE_DATE.month, TEMPLATE_DATE.day, 0, 0, 0))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--out", type=Path, default=REPORT_TEMPLATE)
    args = parser.parse_args(argv)
    print(make_template(args.config, args.out))
    print(make_plain_template())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
