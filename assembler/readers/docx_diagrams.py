"""SmartArt diagrams (Insert > SmartArt): their words, which Word keeps in a part of its own, not in the drawing.

The drawing in the paragraph names the diagram's data model (dgm:relIds r:dm); the model holds a point per
shape, with its text, and the connections that order them. A module of its own, beside the body reader.
"""

from __future__ import annotations

from assembler.readers.docx_package import qn

DGM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}"
DIAGRAM_IDS = DGM + "relIds"


def diagram_lines(model) -> list[str]:
    """The words of a SmartArt data model, a line per paragraph of each shape, in the diagram's order: from its
    root down its 'parent of' connections by their order (Word keeps the points in the order they were made)."""
    points = {pt.get("modelId"): pt for pt in model.iter(DGM + "pt")}
    children: dict[str | None, list[tuple[int, str | None]]] = {}
    for cxn in model.iter(DGM + "cxn"):
        if cxn.get("type", "parOf") == "parOf":
            order = cxn.get("srcOrd") or "0"
            children.setdefault(cxn.get("srcId"), []).append((int(order) if order.isdigit() else 0, cxn.get("destId")))
    ordered: dict[str | None, None] = {}
    stack = [key for key, pt in reversed(points.items()) if pt.get("type") == "doc"]
    while stack:  # not recursive: connections may loop in a damaged file
        key = stack.pop()
        if key not in ordered:
            ordered[key] = None
            stack.extend(dest for _, dest in sorted(children.get(key, []), key=lambda c: c[0], reverse=True))
    ordered.update(dict.fromkeys(points))  # shapes no connection reaches: kept all the same, after the others
    lines = []
    for key in ordered:
        point, text = points.get(key), None
        if point is not None and point.get("type", "node") in ("node", "asst"):  # not the connectors' labels
            text = point.find(DGM + "t")
        for paragraph in (text.iter(qn("a:p")) if text is not None else []):
            line = "".join(t.text or "" for t in paragraph.iter(qn("a:t"))).strip()
            if line:
                lines.append(line)
    return lines
