"""XZuFi 2.2 writer/reader: round trip of the real Berlin records, malformed files named with line."""

from __future__ import annotations

from pathlib import Path

import pytest

from zufi.errors import DataFileError
from zufi.xzufi import BERLIN_ARS, NS, read_xzufi, write_xzufi


def test_round_trip_real_berlin_records(finder, tmp_path: Path):
    catalog = finder.catalog
    path = tmp_path / "berlin.xml"
    counts = write_xzufi(catalog, path)
    links = sum(len(o.services) for o in catalog.offices.values())
    assert counts == {"leistung": len(catalog.services), "organisationseinheit": len(catalog.offices),
                      "zustaendigkeit": links}
    assert links > 5000 and len(catalog.offices) > 500
    msg = read_xzufi(path)
    assert msg.catalog.services == catalog.services
    assert msg.catalog.offices == catalog.offices
    assert {z.ars for z in msg.zustaendigkeiten} == {BERLIN_ARS}
    assert {z.role for z in msg.zustaendigkeiten} == {"zuständige Stelle"}


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "m.xml"
    p.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<xzufi:xzufi.transfer.zufi xmlns:xzufi="{NS}">\n'
                 f"{body}\n</xzufi:xzufi.transfer.zufi>\n", encoding="utf-8")
    return p


def test_not_well_formed_names_file_and_line(tmp_path: Path):
    p = _write(tmp_path, "<xzufi:leistung>\n<xzufi:id>1</xzufi:leistung>")
    with pytest.raises(DataFileError) as exc:
        read_xzufi(p)
    assert exc.value.path == f"{p}:4"


def test_wrong_root(tmp_path: Path):
    p = tmp_path / "r.xml"
    p.write_text("<?xml version='1.0'?>\n<nachricht/>\n")
    with pytest.raises(DataFileError, match="root element"):
        read_xzufi(p)


def test_missing_required_element_and_unknown_office(tmp_path: Path):
    p = _write(tmp_path, "<xzufi:leistung>\n  <xzufi:referenzLeiKa>99115005104000</xzufi:referenzLeiKa>\n"
                         "</xzufi:leistung>")
    with pytest.raises(DataFileError) as exc:
        read_xzufi(p)
    assert exc.value.path.endswith(":3") and "bezeichnung" in exc.value.reason
    p = _write(tmp_path, "<xzufi:zustaendigkeit><xzufi:id>z</xzufi:id><xzufi:leistungID>99115005104000"
                         "</xzufi:leistungID><xzufi:gebietID>110000000000</xzufi:gebietID>"
                         "<xzufi:uebergeordnetesObjektID>nope</xzufi:uebergeordnetesObjektID></xzufi:zustaendigkeit>")
    with pytest.raises(DataFileError, match="unknown Organisationseinheit"):
        read_xzufi(p)


def test_bad_gebiet_id(tmp_path: Path):
    p = _write(tmp_path, "<xzufi:zustaendigkeit><xzufi:id>z</xzufi:id><xzufi:leistungID>99115005104000"
                         "</xzufi:leistungID><xzufi:gebietID>Berlin</xzufi:gebietID>"
                         "<xzufi:uebergeordnetesObjektID>x</xzufi:uebergeordnetesObjektID></xzufi:zustaendigkeit>")
    with pytest.raises(DataFileError, match="ARS"):
        read_xzufi(p)
