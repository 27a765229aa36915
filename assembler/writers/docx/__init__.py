"""writers/docx"""
