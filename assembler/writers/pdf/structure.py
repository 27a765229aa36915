"""The structure tree's nodes, as a PDF writer records them: what tagging.TagTree builds and
tagged_flowables.py fills in while reportlab draws (roles, marked content, annotations)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # names in the signatures below only
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable, Table

Cell = Any  # str, Paragraph, Flowable or list of flowables: whatever reportlab's Table accepts

STANDARD_ROLES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote "
    "Note Reference BibEntry Code Link Annot Ruby Warichu Figure Formula Form".split()
)
ARTIFACT = "Artifact"
DISABLE_ENV = "ASSEMBLER_UNTAGGED_PDF"  # =1: write untagged PDFs (benchmarks, before/after renders)


@dataclass(eq=False)
class ElementSpec:
    """What a writer asked for: the role and attributes of one struct element."""

    role: str
    alt: str | None = None
    title: str | None = None
    lang: str | None = None
    attributes: dict[str, str | int] | None = None  # e.g. {"O": "Table", "Scope": "Column", "ColSpan": 2}
    link_texts: dict[str, str] = field(default_factory=dict)  # href -> linked words

    def __post_init__(self) -> None:
        if self.role != ARTIFACT and self.role not in STANDARD_ROLES:
            raise ValueError(f"'{self.role}' is not a standard PDF structure role; use one of "
                             f"{', '.join(sorted(STANDARD_ROLES))}")
        if self.role == "Figure" and not (self.alt or "").strip():
            raise ValueError("a Figure needs alt text (alt=...) saying what it shows")


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: MCID ``mcid`` on page ``page`` (1-based)."""

    page: int
    mcid: int


@dataclass(frozen=True)
class AnnotationRef:
    """The ``index``-th entry of page ``page``'s /Annots, created while an element drew."""

    page: int
    index: int


@dataclass(eq=False)
class StructNode:
    """A structure element recorded during one layout pass."""

    spec: ElementSpec
    kids: list[StructNode | MarkedContent | AnnotationRef] = field(default_factory=list)
    link_texts: dict[str, str] = field(default_factory=dict)  # href -> the words linked
    bboxes: list[tuple[float, ...]] = field(default_factory=list)  # a Figure's boxes on its (first) page

    @property
    def role(self) -> str:
        return self.spec.role

    def walk(self) -> Iterator[StructNode]:
        yield self
        for kid in self.kids:
            if isinstance(kid, StructNode):
                yield from kid.walk()


class Recorder(Protocol):
    """What the tagged flowables (tagged_flowables.py) ask of the structure tree while they draw:
    tagging.TagTree is the one implementation, and the flowables know it only by this."""

    def sync(self, canvas: Canvas) -> None: ...
    def node_for(self, canvas: Canvas, spec: ElementSpec) -> StructNode: ...
    def child_node(self, canvas: Canvas, spec: ElementSpec, parent: StructNode) -> StructNode: ...
    def new_node(self, canvas: Canvas, spec: ElementSpec, parent: StructNode | None = None) -> StructNode: ...
    def label_node(self) -> StructNode: ...
    def begin_group(self, canvas: Canvas, spec: ElementSpec) -> StructNode: ...
    def end_group(self, canvas: Canvas) -> None: ...
    def begin_content(self, canvas: Canvas, node: StructNode) -> None: ...
    def begin_artifact(self, canvas: Canvas, kind: str | None = None) -> None: ...
    def end_marked(self, canvas: Canvas) -> None: ...
    def open(self, role: str, title: str | None = None, *, lang: str | None = None) -> Flowable: ...
    def element(self, flowable: Flowable, role: str, *, alt: str | None = None, title: str | None = None,
                lang: str | None = None) -> Flowable: ...
    def table(self, data: Any, header_rows: int = 1, *, header_columns: int = 0, **table_kwargs: Any) -> Table: ...
    def toc(self, toc: Flowable) -> Flowable: ...
