"""PDF writers (reportlab platypus), tagged through tagging.TagTree.

- report.py: ``write_pdf_report(document, path)``, the annual report.
- styles.py: ``make_styles(brand, body_size)``, paragraph styles and colours from the brand.
- blocks.py: ``block_flowables(blocks, styles, tree, inputs, charts, width)``, schema blocks to flowables.
- chart.py: ``chart_drawing(chart, brand, width, height)``, vector horizontal bar charts.
- page.py, cover.py, contents.py, keep.py: page geometry and decoration, cover, contents lines, keep-with-next.
- markup.py: escaping, links and glyph fallback for Paragraph markup.
"""
