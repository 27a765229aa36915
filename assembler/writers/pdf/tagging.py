"""Tagged PDF (PDF/UA-1) for the reportlab writers: record the logical structure while laying out.

One ``TagTree`` per PDF. Writers wrap what they put in the story; at draw time
the tree encloses what each piece draws in marked content
(``/P <</MCID n>> BDC ... EMC``) and notes a structure element for it, in the
order things are drawn (the story's order = the reading order). After
``doc.build`` the writer calls ``tree.finish(path)``: a pikepdf post-pass adds
the structure tree and the document-level settings PDF/UA asks for.

Public API (everything a writer needs)::

    tree = TagTree(lang="en-GB", title="Annual report 2024-25")
    story = [
        tree.open("Sect", title="Introduction"),     # zero-size marker: opens a group
        tree.element(Paragraph(...), "H1"),          # any flowable -> one struct element
        tree.element(Paragraph(...), "P"),           # split over pages: still one P
        tree.element(chart_drawing, "Figure", alt="Bar chart: ..."),
        tree.element(Paragraph('see <a href="https://...">the plan</a>', st), "P"),  # P > Link (OBJR)
        tree.list([("•", Paragraph(...)), ("2.", [Paragraph(...), Paragraph(...)])]),
        tree.table(data, header_rows=1, colWidths=[...], style=[...]),
        tree.element(HRFlowable(...), "Artifact"),   # decoration inside the story
        tree.close(),
    ]
    toc = tree.toc(TableOfContents())                # TOC > TOCI > Link, one TOCI per entry

    def on_page(canvas, doc):
        with tree.artifact(canvas):                  # running headers, footers, page numbers
            canvas.drawString(...)

    doc.multiBuild(story, onFirstPage=on_page, onLaterPages=on_page)   # or build(); passes are fine
    tree.finish(path)                                # rewrites the file in place, deterministically

Drawing straight on a canvas (one-pagers, boxes)::

    with tree.group(canvas, "Sect", title="Box 1"):  # group without a flowable
        with tree.content(canvas, "H2"):              # marked content for raw canvas drawing
            canvas.drawString(...)
        frame.addFromList([tree.element(p, "P")], canvas)

Checking the result: ``assembler.checks.pdf_accessibility.check_pdf(path)`` (pdfua's
rules plus ours) and ``structure_text(path)`` (each element's text in reading order).
``TagTree(..., enabled=False)`` or ASSEMBLER_UNTAGGED_PDF=1 lays out identically
but writes an untagged PDF: for measuring the cost and comparing renderings.

Rules for writers:
- Everything that draws page content must be inside ``element``/``table``/``list``/
  ``toc``/``content`` or ``artifact``; untagged text is a PDF/UA failure (`check_pdf` finds it).
- Spacers, page breaks and ``open``/``close`` markers draw nothing and need no tag.
- ``open``/``close`` must balance; ``Document`` is the implicit root.
- Roles are standard PDF structure types: Sect, Div, Part, Art, H1..H6, P, L, LI, Lbl,
  LBody, Table, TR, TH, TD, Figure, Caption, Link, TOC, TOCI, Note, BlockQuote, Quote,
  Span, plus the pseudo-role ``Artifact`` (drawn as an artifact, no element).
- ``alt`` is required for ``Figure``; ``title`` becomes /T; ``lang`` overrides the
  document language for that element.
- ``element`` returns the SAME flowable (its class is swapped for a tagged subclass), so
  ``isinstance`` checks, ``.style`` and ``getPlainText()`` in ``afterFlowable`` still work.
- A nested tagged flowable (a tagged Paragraph in a table cell) becomes a child element.

Why a post-pass with pikepdf: reportlab writes marked-content operators happily
but has no model of a structure tree, ParentTree or /StructParent keys, and its
object numbering is fixed by the time they are known. pikepdf (QPDF) is a
maintained, wheel-installed library that edits the finished object graph safely
and saves with a content-derived /ID, so the output stays reproducible; it is
the same library ``pdfua`` uses to check the result. The post-pass costs about
0.2 s for the 57-page sample report; tagging as a whole adds about 5% to the
CPU time of ``assembler build`` (measured with ASSEMBLER_UNTAGGED_PDF=1).

Known limits: a link's words are inside the paragraph's marked content, and the
paragraph's ``Link`` child holds only the annotation (OBJR) with its description
in /Alt and the annotation's /Contents; contents entries (TOCI) are whole links.
"""


from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table

from assembler.writers.pdf.structure import ARTIFACT, DISABLE_ENV, AnnotationRef, Cell, ElementSpec, MarkedContent, StructNode
from assembler.writers.pdf.tagged_flowables import GroupMarker, tag_flowable, tagged_list, tagged_table, tagged_toc

_Open = tuple[Literal["content", "artifact", "suppressed"], StructNode | None]


class TagTree:
    """The logical structure of one PDF, recorded while reportlab lays it out."""

    def __init__(self, lang: str, title: str, *, enabled: bool | None = None) -> None:
        self.lang = lang
        self.title = title
        # Off only to measure what tagging costs or to compare renderings: the layout is
        # the same, but no marked content is written and finish() leaves the file alone.
        self.enabled = os.environ.get(DISABLE_ENV, "") != "1" if enabled is None else enabled
        self._canvas: Canvas | None = None
        self._reset()

    # ------------------------------------------------------------------ public API

    def element(self, flowable: Flowable, role: str, *, alt: str | None = None,
                title: str | None = None, lang: str | None = None) -> Flowable:
        """Tag ``flowable`` so what it draws becomes one struct element of ``role``.

        Returns the same object. The element goes under the group open when the
        flowable is drawn. A flowable that splits over pages stays one element
        with marked content on each page. Links (``<a href>``) drawn by a
        Paragraph become ``Link`` children tied to their annotations.
        """

        return tag_flowable(self, flowable, ElementSpec(role, alt=alt, title=title, lang=lang))

    def open(self, role: str, title: str | None = None, *, lang: str | None = None) -> Flowable:
        """A zero-size flowable that opens a grouping element (Sect, Div, L, TOC...)."""

        return GroupMarker(self, ElementSpec(role, title=title, lang=lang))

    def close(self) -> Flowable:
        """A zero-size flowable that closes the innermost open group."""

        return GroupMarker(self, None)

    def table(self, data: Sequence[Sequence[Cell]], header_rows: int = 1, *,
              header_columns: int = 0, **table_kwargs: Any) -> Table:
        """A reportlab Table tagged Table/TR/TH/TD, one marked-content sequence per cell.

        ``header_rows`` rows are TH with /Scope /Column and are repeated on later
        pages (the repeated copies are artifacts); the first ``header_columns``
        cells of each body row are TH with /Scope /Row. ``table_kwargs`` go to
        Table (colWidths, rowHeights, style, hAlign...); ``repeatRows`` is set
        for you. Backgrounds and grid lines are artifacts.
        """

        return tagged_table(self, data, header_rows, header_columns, **table_kwargs)

    def list(self, items: Sequence[tuple[str, Flowable | Sequence[Flowable]]], *,
             indent: float = 14.0, label_style: Any = None) -> Flowable:
        """A list tagged L > LI > (Lbl, LBody). ``items`` are (label, body) pairs.

        The body (one flowable or several; a nested ``tree.list`` is fine) is
        indented by ``indent`` points and the label drawn in that gutter on the
        first line, in ``label_style`` (a ParagraphStyle; default: the body's
        style). Untagged body flowables become P. Splits between and inside items.
        """

        return tagged_list(self, items, indent=indent, label_style=label_style)

    def toc(self, toc: Flowable) -> Flowable:
        """Tag a reportlab TableOfContents: TOC > TOCI (> Link) per entry. Returns it."""

        return tagged_toc(self, toc)

    @contextlib.contextmanager
    def artifact(self, canvas: Canvas, kind: str | None = None) -> Iterator[Canvas]:
        """Mark what is drawn inside the block as /Artifact (headers, footers, rules).

        ``kind`` is an optional artifact /Type: "Pagination", "Layout" or "Page".
        """
        self.begin_artifact(canvas, kind)
        try:
            yield canvas
        finally:
            self.end_marked(canvas)

    @contextlib.contextmanager
    def content(self, canvas: Canvas, role: str, *, alt: str | None = None,
                title: str | None = None, lang: str | None = None) -> Iterator[Canvas]:
        """Mark raw canvas drawing inside the block as one new struct element of ``role``."""
        node = self.new_node(canvas, ElementSpec(role, alt=alt, title=title, lang=lang))
        self.begin_content(canvas, node)
        try:
            yield canvas
        finally:
            self.end_marked(canvas)

    @contextlib.contextmanager
    def group(self, canvas: Canvas, role: str, title: str | None = None,
              *, lang: str | None = None) -> Iterator[Canvas]:
        """Open a grouping element for raw canvas drawing (``open``/``close`` without flowables)."""
        self.begin_group(canvas, ElementSpec(role, title=title, lang=lang))
        try:
            yield canvas
        finally:
            self.end_group(canvas)

    def finish(self, pdf_path: Path) -> None:
        """After the build: add the structure tree and document settings to ``pdf_path``.

        Rewrites the file in place; the result is byte-identical for identical input.
        """
        if not self.enabled:
            return
        if len(self._groups) != 1:
            open_roles = " > ".join(n.role for n in self._groups)
            raise ValueError(f"{pdf_path}: groups left open at the end of the document: {open_roles}; "
                             "every tree.open() needs a tree.close()")
        write_structure(Path(pdf_path), self.root, lang=self.lang, title=self.title)

    # ------------------------------------------------------- recording (writer internals)

    def _reset(self) -> None:
        self.root = StructNode(ElementSpec("Document"))
        self._groups: list[StructNode] = [self.root]  # open groups (open/close markers)
        self._scope: list[StructNode] = [self.root]  # open groups and drawing elements, innermost last
        self._open: list[_Open] = []  # open marked-content sequences
        self._nodes: dict[ElementSpec, StructNode] = {}
        self._next_mcid: dict[int, int] = {}
        self._page = 0
        self._annotations_seen = 0

    def sync(self, canvas: Canvas) -> None:
        """Notice a new layout pass (new canvas) or a new page; attribute new link annotations."""
        if canvas is not self._canvas:
            self._canvas = canvas  # multiBuild lays the story out again: record afresh
            self._reset()
        page = canvas.getPageNumber()
        if page != self._page:
            self._page = page
            self._annotations_seen = 0
            self._open.clear()  # a marked-content sequence never spans pages
            self._scope = [n for n in self._scope if any(n is g for g in self._groups)]
        self._claim_annotations(canvas)

    def _claim_annotations(self, canvas: Canvas) -> None:
        refs = getattr(canvas, "_annotationrefs", ())
        if len(refs) == self._annotations_seen:
            return  # the usual case: called at every begin/end, links are rare
        new = range(self._annotations_seen, len(refs))
        self._annotations_seen = len(refs)
        if self._open and self._open[-1][0] == "content":
            node = self._open[-1][1]
            assert node is not None
            node.kids.extend(AnnotationRef(self._page, i) for i in new)

    def _parent(self) -> StructNode:
        return self._scope[-1]

    def node_for(self, canvas: Canvas, spec: ElementSpec) -> StructNode:
        """The node of ``spec`` in this pass, created under the current parent when first drawn."""
        self.sync(canvas)
        node = self._nodes.get(spec)
        if node is None:
            node = self._nodes[spec] = StructNode(spec)
            self._parent().kids.append(node)
        return node

    def child_node(self, canvas: Canvas, spec: ElementSpec, parent: StructNode) -> StructNode:
        """The node of ``spec`` in this pass, created under ``parent`` when first drawn (a table's rows and cells)."""
        node = self._nodes.get(spec)
        if node is None:
            node = self._nodes[spec] = self.new_node(canvas, spec, parent)
        return node

    def new_node(self, canvas: Canvas, spec: ElementSpec, parent: StructNode | None = None) -> StructNode:
        """A fresh node under ``parent`` (default: the current parent)."""
        self.sync(canvas)
        node = StructNode(spec)
        (parent or self._parent()).kids.append(node)
        return node

    def begin_group(self, canvas: Canvas, spec: ElementSpec) -> StructNode:
        node = self.new_node(canvas, spec)
        self._groups.append(node)
        self._scope.append(node)
        return node

    def end_group(self, canvas: Canvas) -> None:
        self.sync(canvas)
        if len(self._groups) == 1 and not self.enabled:
            return
        if len(self._groups) == 1:
            raise ValueError("tree.close() without a matching tree.open()")
        self._forget(self._groups.pop())

    @property
    def in_artifact(self) -> bool:
        return any(kind != "content" for kind, _ in self._open)

    def begin_content(self, canvas: Canvas, node: StructNode) -> None:
        """Start a marked-content sequence for ``node`` (nested: pause the enclosing one)."""
        self.sync(canvas)
        if self.in_artifact or not self.enabled:
            self._open.append(("suppressed", None))
            return
        self._pause(canvas)
        self._emit_bdc(canvas, node)
        self._open.append(("content", node))
        self._scope.append(node)

    def begin_artifact(self, canvas: Canvas, kind: str | None = None) -> None:
        self.sync(canvas)
        if self.in_artifact or not self.enabled:
            self._open.append(("suppressed", None))
            return
        self._pause(canvas)
        props = f" <</Type /{kind}>> BDC" if kind else " BMC"
        canvas._code.append(f"/{ARTIFACT}{props}")
        self._open.append(("artifact", None))

    def end_marked(self, canvas: Canvas) -> None:
        """End what the last begin_content/begin_artifact started; resume the enclosing content."""
        self.sync(canvas)
        if not self._open:
            return  # the page changed under an open sequence: nothing left to close
        kind, node = self._open.pop()
        if kind == "suppressed":
            return
        if node is not None:
            self._forget(node)
        canvas._code.append("EMC")
        if self._open and self._open[-1][0] == "content":
            outer = self._open[-1][1]
            assert outer is not None
            self._emit_bdc(canvas, outer)  # same element, a new MCID after the nested one

    def _forget(self, node: StructNode) -> None:
        for i in range(len(self._scope) - 1, 0, -1):
            if self._scope[i] is node:
                del self._scope[i]
                return

    def label_node(self) -> StructNode:
        """A new Lbl in the open LI, before its LBody (the list writer draws labels late)."""
        label = StructNode(ElementSpec("Lbl"))
        if len(self._groups) >= 3 and self._groups[-2].role == "LI":
            body, item = self._groups[-1], self._groups[-2]
            item.kids.insert(item.kids.index(body) if body in item.kids else 0, label)
        else:
            self._parent().kids.append(label)
        return label

    def _pause(self, canvas: Canvas) -> None:
        if self._open and self._open[-1][0] == "content":
            canvas._code.append("EMC")

    def _emit_bdc(self, canvas: Canvas, node: StructNode) -> None:
        mcid = self._next_mcid.get(self._page, 0)
        self._next_mcid[self._page] = mcid + 1
        canvas._code.append(f"/{node.role} <</MCID {mcid}>> BDC")
        node.kids.append(MarkedContent(self._page, mcid))


# ----------------------------------------------------------------------------- post-pass

PRODUCER = "assembler (reportlab, tagged with pikepdf)"


def write_structure(pdf_path: Path, root: StructNode, *, lang: str, title: str) -> None:
    """Add StructTreeRoot, ParentTree, page /StructParents and /Tabs, annotations' /StructParent,
    MarkInfo, Lang, ViewerPreferences, Info title and XMP to the PDF reportlab wrote.

    pikepdf (QPDF) edits the object graph safely and saves with a content-derived /ID,
    so the output stays byte-identical for identical input.
    """
    import pikepdf

    _prune_empty(root)
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        _StructureWriter(pdf).write(root)
        catalog = pdf.Root
        catalog.MarkInfo = pikepdf.Dictionary(Marked=True)
        catalog.Lang = pikepdf.String(lang)
        catalog.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.docinfo[pikepdf.Name.Title] = pikepdf.String(title)
        pdf.docinfo[pikepdf.Name.Producer] = pikepdf.String(PRODUCER)  # the same as in the XMP
        metadata = pikepdf.Stream(pdf, _xmp(title=title, lang=lang).encode("utf-8"))
        metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        catalog.Metadata = pdf.make_indirect(metadata)
        pdf.save(pdf_path, deterministic_id=True, min_version="1.7",
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _prune_empty(node: StructNode) -> bool:
    """Drop elements that drew nothing (e.g. a group whose content all went elsewhere)."""
    node.kids = [k for k in node.kids if not isinstance(k, StructNode) or _prune_empty(k)]
    return bool(node.kids)


class _StructureWriter:
    def __init__(self, pdf: Any) -> None:
        import pikepdf

        self.pikepdf = pikepdf
        self.pdf = pdf
        # Each call into pikepdf costs about a microsecond, and a long report has tens of thousands of
        # elements: page objects and names are looked up once, and each element is made in one call.
        self.page_objects = [page.obj for page in pdf.pages]
        self.names: dict[str, Any] = {}
        self.parent_tree: dict[int, dict[int, Any]] = {}  # page -> mcid -> struct element
        self.annotation_parents: list[tuple[Any, Any]] = []  # (annotation, struct element)

    def write(self, root: StructNode) -> None:
        pikepdf = self.pikepdf
        tree_root = self.pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document = self._element(root, tree_root)
        tree_root.K = document
        nums: list[Any] = []
        for page_no in sorted(self.parent_tree):
            key = page_no - 1
            self.page_objects[key].StructParents = key
            owners = self.parent_tree[page_no]
            nums += [key, self.pdf.make_indirect(pikepdf.Array([owners.get(m) for m in range(max(owners) + 1)]))]
        key = len(self.page_objects)
        for annotation, element in self.annotation_parents:
            annotation.StructParent = key
            nums += [key, element]
            key += 1
        for page in self.page_objects:
            page.Tabs = pikepdf.Name.S  # tab order follows the structure
        tree_root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
        tree_root.ParentTreeNextKey = key
        self.pdf.Root.StructTreeRoot = tree_root

    def _name(self, name: str) -> Any:
        if name not in self.names:
            self.names[name] = self.pikepdf.Name("/" + name)
        return self.names[name]

    def _element(self, node: StructNode, parent: Any) -> Any:
        pikepdf, name = self.pikepdf, self._name
        spec = node.spec
        entries = {"/Type": name("StructElem"), "/S": name(spec.role), "/P": parent}
        if spec.title:
            entries["/T"] = pikepdf.String(spec.title)
        if spec.alt:
            entries["/Alt"] = pikepdf.String(spec.alt)
        if spec.lang:
            entries["/Lang"] = pikepdf.String(spec.lang)
        if spec.attributes:
            entries["/A"] = pikepdf.Dictionary({"/" + k: v if isinstance(v, int) else name(v) for k, v in spec.attributes.items()})
        elif node.bboxes:  # where the figure is, for magnifiers and reflow
            entries["/A"] = pikepdf.Dictionary({"/O": name("Layout"), "/BBox": pikepdf.Array(node.bboxes[0]), "/Placement": name("Block")})
        first_page = next((k.page for k in _content_items(node)), None)
        if first_page is not None:
            entries["/Pg"] = self.page_objects[first_page - 1]
        element = self.pdf.make_indirect(pikepdf.Dictionary(entries))
        kids = self._kids(node, element, first_page)
        # A single kid stays bare: some checkers (pdfua's heading rule) cannot read arrays.
        element.K = kids[0] if len(kids) == 1 else pikepdf.Array(kids)
        return element

    def _kids(self, node: StructNode, element: Any, first_page: int | None) -> list[Any]:
        annotations = [k for k in node.kids if isinstance(k, AnnotationRef)]
        if annotations and node.role in ("TOCI", "Reference"):
            # A contents entry is one link: TOCI > Link > (its text, the annotation).
            link = StructNode(ElementSpec("Link"), kids=[k for k in node.kids if not isinstance(k, StructNode)])
            link.link_texts = node.link_texts
            node.kids = [k for k in node.kids if isinstance(k, StructNode)] + [link]
            return [self._element(link, element)] + [self._element(k, element) for k in node.kids[:-1]]
        kids: list[Any] = []
        for kid in node.kids:
            if isinstance(kid, StructNode):
                kids.append(self._element(kid, element))
            elif isinstance(kid, MarkedContent):
                self.parent_tree.setdefault(kid.page, {})[kid.mcid] = element
                kids.append(kid.mcid if kid.page == first_page else self.pikepdf.Dictionary(
                    {"/Type": self._name("MCR"), "/Pg": self.page_objects[kid.page - 1], "/MCID": kid.mcid}))
        kids += self._links(node, element, annotations)
        return kids

    def _links(self, node: StructNode, element: Any, annotations: list[AnnotationRef]) -> list[Any]:
        """Tie each link annotation to a Link element (OBJR) and describe it in /Contents."""
        pikepdf = self.pikepdf
        out: list[Any] = []
        internal_texts = [text for href, text in node.link_texts.items() if href.startswith("#")]
        internal_dests: list[Any] = []
        for ref in annotations:
            page = self.page_objects[ref.page - 1]
            annots = page.get("/Annots")
            if annots is None or ref.index >= len(annots):
                continue
            annotation = annots[ref.index]
            objr = pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation, Pg=page)
            if node.role == "Link":
                target = element
                out.append(objr)
            else:
                target = self.pdf.make_indirect(pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem, S=pikepdf.Name.Link, P=element, Pg=page,
                    K=pikepdf.Array([objr])))
                out.append(target)
            description = self._describe(annotation, node, internal_texts, internal_dests)
            if description and not str(annotation.get("/Contents", "")).strip():
                annotation.Contents = pikepdf.String(description)
            if description and target is not element:
                target.Alt = pikepdf.String(description)
            self.annotation_parents.append((annotation, target))
        return out

    @staticmethod
    def _describe(annotation: Any, node: StructNode, internal_texts: list[str], internal_dests: list[Any]) -> str:
        action = annotation.get("/A")
        uri = str(action.get("/URI", "")) if action is not None else ""
        if uri:
            words = node.link_texts.get(uri, "")
            return f"{words} ({uri})" if words and words != uri else uri
        dest = annotation.get("/Dest")
        key = repr(dest)  # names the target page, so equal for links to the same place
        if key not in internal_dests:
            internal_dests.append(key)
        position = internal_dests.index(key)
        if position < len(internal_texts):
            return f"Go to {internal_texts[position]}"
        return "Go to a place in this document"


def _content_items(node: StructNode) -> Iterator[MarkedContent]:
    """The marked content of ``node`` and its descendants, in order."""
    for kid in node.kids:
        if isinstance(kid, MarkedContent):
            yield kid
        elif isinstance(kid, StructNode):
            yield from _content_items(kid)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xmp(*, title: str, lang: str) -> str:
    """The XMP packet: title, language and the PDF/UA-1 claim; no dates, so output is reproducible."""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml_escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{_xml_escape(lang)}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{PRODUCER}</pdf:Producer>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
