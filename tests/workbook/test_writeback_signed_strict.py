"""Signed workbooks are not written unless the user says so; Strict Open XML is written back.

The signatures are real: an XML-DSig package signature over the parts' SHA-256 digests,
RSA-signed with a certificate the test makes (as Office's 数字签名 does), and a PKCS#7
signature of a real VBA project (as Excel's signed macros are stored). The Strict
workbook carries Strict namespaces and relationship types throughout.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from addin.common.errors import PlanReportError
from addin.common.settings import Settings
from addin.workbook.opc import STRICT, TRANSITIONAL
from addin.workbook.writeback import SHEET_NAME, write_results
from writeback_support import make_workbook, result_json_from

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "hostile"))
import make_cases  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DS = "http://www.w3.org/2000/09/xmldsig#"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
# As Office signs: the parts themselves ([Content_Types].xml is covered through each part's type).
SIGNED_PARTS = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml",
                "docProps/app.xml"]


def _key_and_cert():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "包头市统计局")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    return key, cert


def _rewrite(path: Path, changes: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts.update(changes)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _digest(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def sign_package(path: Path) -> None:
    """An OPC package signature (ECMA-376 part 2, §13) over SIGNED_PARTS."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    key, cert = _key_and_cert()
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in SIGNED_PARTS}
        root_rels, types = zf.read("_rels/.rels"), zf.read("[Content_Types].xml")
    sig = etree.Element(f"{{{DS}}}Signature", nsmap={None: DS}, Id="idPackageSignature")
    info = etree.SubElement(sig, f"{{{DS}}}SignedInfo")
    etree.SubElement(info, f"{{{DS}}}CanonicalizationMethod", Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
    etree.SubElement(info, f"{{{DS}}}SignatureMethod", Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
    ref = etree.SubElement(info, f"{{{DS}}}Reference", URI="#idPackageObject", Type=f"{DS}Object")
    etree.SubElement(ref, f"{{{DS}}}DigestMethod", Algorithm=SHA256)
    object_digest = etree.SubElement(ref, f"{{{DS}}}DigestValue")
    value = etree.SubElement(sig, f"{{{DS}}}SignatureValue")
    x509 = etree.SubElement(etree.SubElement(etree.SubElement(sig, f"{{{DS}}}KeyInfo"), f"{{{DS}}}X509Data"),
                            f"{{{DS}}}X509Certificate")
    x509.text = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    obj = etree.SubElement(sig, f"{{{DS}}}Object", Id="idPackageObject")
    manifest = etree.SubElement(obj, f"{{{DS}}}Manifest")
    for name, data in parts.items():
        r = etree.SubElement(manifest, f"{{{DS}}}Reference", URI="/" + name)
        etree.SubElement(r, f"{{{DS}}}DigestMethod", Algorithm=SHA256)
        etree.SubElement(r, f"{{{DS}}}DigestValue").text = _digest(data)
    object_digest.text = _digest(etree.tostring(obj, method="c14n"))
    value.text = base64.b64encode(key.sign(etree.tostring(info, method="c14n"), padding.PKCS1v15(),
                                           hashes.SHA256())).decode()
    rel = ('<Relationship Id="rIdSig" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
           'digital-signature/origin" Target="_xmlsignatures/origin.sigs"/></Relationships>')
    ct = ('<Default Extension="sigs" ContentType="application/vnd.openxmlformats-package.digital-signature-origin"/>'
          '<Override PartName="/_xmlsignatures/sig1.xml" '
          'ContentType="application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml"/></Types>')
    _rewrite(path, {
        "_rels/.rels": root_rels.replace(b"</Relationships>", rel.encode()),
        "[Content_Types].xml": types.replace(b"</Types>", ct.encode()),
        "_xmlsignatures/origin.sigs": b"",
        "_xmlsignatures/_rels/origin.sigs.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            b'openxmlformats.org/package/2006/relationships/digital-signature/signature" Target="sig1.xml"/>'
            b"</Relationships>"),
        "_xmlsignatures/sig1.xml": etree.tostring(sig, xml_declaration=True, encoding="UTF-8"),
    })


def signature_holds(path: Path) -> bool:
    """Verify the package signature: the RSA signature over SignedInfo, the Object digest,
    and every part digest in the Manifest against the parts now in the file."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    with zipfile.ZipFile(path) as zf:
        sig = etree.fromstring(zf.read("_xmlsignatures/sig1.xml"))
        ns = {"d": DS}
        cert = x509.load_der_x509_certificate(base64.b64decode(sig.findtext(".//d:X509Certificate", namespaces=ns)))
        try:
            cert.public_key().verify(base64.b64decode(sig.findtext("d:SignatureValue", namespaces=ns)),
                                     etree.tostring(sig.find("d:SignedInfo", ns), method="c14n"),
                                     padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return False
        obj = sig.find("d:Object", ns)
        if sig.findtext("d:SignedInfo/d:Reference/d:DigestValue", namespaces=ns) != _digest(
                etree.tostring(obj, method="c14n")):
            return False
        for ref in obj.iterfind("d:Manifest/d:Reference", ns):
            if ref.findtext("d:DigestValue", namespaces=ns) != _digest(zf.read(ref.get("URI").lstrip("/"))):
                return False
    return True


def sign_vba(path: Path) -> None:
    """A macro workbook whose VBA project is signed (PKCS#7 over the project, in
    xl/vbaProjectSignature.bin, related from xl/vbaProject.bin as Excel stores it)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    from addin.office.xlam import template_path

    with zipfile.ZipFile(template_path()) as zf:
        project = zf.read("xl/vbaProject.bin")
    key, cert = _key_and_cert()
    signature = (pkcs7.PKCS7SignatureBuilder().set_data(project).add_signer(cert, key, hashes.SHA256())
                 .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature]))
    with zipfile.ZipFile(path) as zf:
        rels, types = zf.read("xl/_rels/workbook.xml.rels"), zf.read("[Content_Types].xml")
    types = types.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
        b"</Types>", b'<Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        b'<Override PartName="/xl/vbaProjectSignature.bin" '
        b'ContentType="application/vnd.ms-office.vbaProjectSignature"/></Types>')
    _rewrite(path, {
        "[Content_Types].xml": types,
        "xl/_rels/workbook.xml.rels": rels.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://'
                                                   b'schemas.microsoft.com/office/2006/relationships/vbaProject" '
                                                   b'Target="vbaProject.bin"/></Relationships>'),
        "xl/vbaProject.bin": project,
        "xl/_rels/vbaProject.bin.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            b'microsoft.com/office/2006/relationships/vbaProjectSignature" Target="vbaProjectSignature.bin"/>'
            b"</Relationships>"),
        "xl/vbaProjectSignature.bin": signature,
    })


def _refresh(book: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", "refresh", str(book), "--out", str(out), "--format", "html"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_signed_package_is_refused_and_the_signature_still_holds(tmp_path):
    book = make_workbook(tmp_path / "包头市.xlsx")
    sign_package(book)
    assert signature_holds(book)
    before = book.read_bytes()
    proc = _refresh(book, tmp_path / "报告")
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "数字签名" in lines[0] and "签名失效" in lines[0], proc.stderr
    assert "writeback_signed" in lines[0]
    assert book.read_bytes() == before and signature_holds(book)
    assert (tmp_path / "报告" / "包头市.html").exists()  # reports are still written


def test_signed_package_written_when_the_user_says_so(tmp_path):
    book = make_workbook(tmp_path / "包头市.xlsx")
    sign_package(book)
    write_results(book, result_json_from(book), settings=Settings(writeback_signed=True))
    with zipfile.ZipFile(book) as zf:
        assert f'name="{SHEET_NAME}"' in zf.read("xl/workbook.xml").decode()
    assert not signature_holds(book)  # what the refusal protects against


def test_signed_vba_project_is_refused(tmp_path):
    book = make_workbook(tmp_path / "宏.xlsx").rename(tmp_path / "宏.xlsm")
    sign_vba(book)
    before = book.read_bytes()
    with pytest.raises(PlanReportError, match="vbaProjectSignature.bin") as err:
        write_results(book, result_json_from(book))
    assert "签名失效" in str(err.value) and "\n" not in str(err.value)
    assert book.read_bytes() == before


# ---------------------------------------------------------------- Strict Open XML

def to_strict(path: Path) -> Path:
    path.write_bytes(make_cases.to_strict(path.read_bytes()))
    return path


def test_strict_workbook_is_written_back(tmp_path):
    from addin.app.pipeline import check_workbook

    book = to_strict(make_workbook(tmp_path / "strict.xlsx"))
    with zipfile.ZipFile(book) as zf:
        assert TRANSITIONAL.main.encode() not in zf.read("xl/workbook.xml")
    before = check_workbook(book).to_json()
    proc = _refresh(book, tmp_path / "报告")
    assert proc.returncode in (0, 1), proc.stderr
    with zipfile.ZipFile(book) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        sheet = zf.read("xl/worksheets/sheet3.xml").decode()
    assert f'name="{SHEET_NAME}"' in workbook and TRANSITIONAL.rel not in workbook + rels
    assert f"{STRICT.rel}/worksheet" in rels and f'xmlns="{STRICT.main}"' in sheet
    after = check_workbook(book).to_json()
    assert after["indicators"] == before["indicators"]  # the results sheet is not read back as input
    import python_calamine

    assert SHEET_NAME in python_calamine.CalamineWorkbook.from_path(str(book)).sheet_names


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_strict_result_opens_in_libreoffice(tmp_path):
    book = make_workbook(tmp_path / "strict.xlsx")
    data = result_json_from(book)  # openpyxl reads Transitional only
    write_results(to_strict(book), data)
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(book)], capture_output=True, timeout=180)
    from openpyxl import load_workbook

    ws = load_workbook(out / book.name)[SHEET_NAME]
    assert [c.value for c in ws[1]][:3] == ["工作表", "序号", "指标"] and ws["C2"].value == "地区生产总值"
