"""Reports from a CheckResult JSON: HTML and Word from editable templates, PDF via LibreOffice.

Heavy modules (docxtpl, python-docx, python-pptx, xlsxwriter) are imported inside the functions that need them.
"""
