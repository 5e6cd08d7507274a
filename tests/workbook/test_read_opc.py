"""Relationship targets resolve the same way for the guard, the reader and write-back."""
from addin.workbook.opc import rels_part, resolve_target


def test_rels_part():
    assert rels_part("") == "_rels/.rels"
    assert rels_part("xl/workbook.xml") == "xl/_rels/workbook.xml.rels"


def test_resolve_target_relative_and_absolute_drop_dot_segments():
    assert resolve_target("xl/workbook.xml", "worksheets/sheet1.xml") == "xl/worksheets/sheet1.xml"
    assert resolve_target("xl/workbook.xml", "../xl/./styles.xml") == "xl/styles.xml"
    assert resolve_target("", "xl/workbook.xml") == "xl/workbook.xml"
    # Absolute targets start at the package root; dot segments go as they do for relative ones.
    assert resolve_target("xl/workbook.xml", "/xl/styles.xml") == "xl/styles.xml"
    assert resolve_target("xl/workbook.xml", "/xl/./worksheets/../styles.xml") == "xl/styles.xml"
