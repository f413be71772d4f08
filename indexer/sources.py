"""The pinned table of public data files an index build needs (paths as in the mirror, checksums).

Checksums are SHA-256 of the files as staged in the shared mirror on 2026-11-29 (see its SOURCES.md);
`zufi data fetch` refuses any file that differs. Licences as stated in SOURCES.md (several Berlin texts
have no verified licence: fine for development, to be cleared before public redistribution).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file: ``path`` relative to the mirror/data dir, what it is, who publishes it, its pin."""

    path: str
    description: str
    publisher: str
    licence: str
    sha256: str | None  # None: documentation that may change; copied and recorded, not pinned
    required: bool = True  # needed by `zufi index`; optional ones are only noted when absent

    def at(self, root: Path) -> Path:
        """This file's location under ``root`` (a mirror or ``Settings.data_dir``)."""
        return root / self.path


_BERLIN = "Land Berlin / BerlinOnline (service.berlin.de)"
_BERLIN_LIC = "not verified (Land Berlin open data, attribution; clear before redistribution)"
_BKG = "Bundesamt für Kartographie und Geodäsie (BKG)"
_DLDE = "dl-de/by-2-0, © GeoBasis-DE / BKG 2021 (Daten verändert)"

SOURCES: tuple[SourceFile, ...] = (
    SourceFile("leika_berlin/berlin_d115_leika_synonyme.csv",
               "Berlin d115 id → LeiKa key, Gruppierung, Kennung, Verrichtung, synonyms (615 rows, 2017)",
               _BERLIN, _BERLIN_LIC, "3e0adb6c3721a0bb9191aa71970f1bd68d7073dbc235e4ae5bb05d7fbafe9ba0"),
    SourceFile("leika_berlin/berlin_standorte_2017-06.json",
               "Berlin office locations with address, geo, hours, service links (506, 2017-06-08)",
               _BERLIN, _BERLIN_LIC, "6bd75b2de106640cfa1680a5697058e4c4ac3ae477d273f1f880ffcc6a91e6fa"),
    SourceFile("leika_berlin/berlin_behoerden_2017-06.json",
               "Berlin authorities and their locations (194, 2017-06-08)",
               _BERLIN, _BERLIN_LIC, "2acf65ac8048b9e227e5e166013fac6abb076a8843baf55748b912751ce97526"),
    SourceFile("leika_berlin/berlin_themen_2017-06.json",
               "Berlin topic tree with service names by d115 id (168 topics, 577 services, 2017-06-08)",
               _BERLIN, _BERLIN_LIC, "f92c09657c70b589bd736e49a08e5025b1225f9841b08e035a72ea42d7203337",
               required=False),
    SourceFile("berlin_services_2024/berlin_dienstleistungen_texte_2024-09.json.gz",
               "Berlin service names, URLs and descriptions by d115 id (1,062, scraped 2024-09)",
               _BERLIN, _BERLIN_LIC, "51164ea1c5ebf6e6622b1b80adf3865faebc9961dfa70ba1f56560021cbe007c",
               required=False),
    # --- issue 6: national catalogue and descriptions (optional: a build without them is Berlin-only)
    SourceFile("ozg_katalog_2019/ozg_leika_leistungen_2019.csv",
               "LeiKa/OZG-Umsetzungskatalog rows (5,249; 4,813 LeiKa keys) as loaded 2019-10-05",
               "IT-Planungsrat / FITKO (LeiKa, OZG catalogue) via kdn-nrw/OZG-Datenbank-NRW",
               "repo MIT; catalogue licence not verified",
               "55c5a07f4fa0c98c377e446507f4944700317fa5cc98bc0ef7ddd398871db7b5", required=False),
    SourceFile("berlin_services_2024/berlin_dienstleistungen_voll_2024-09_104.json",
               "104 complete Berlin service pages: fees, legal basis, processing time, forms (2024-09)",
               _BERLIN, _BERLIN_LIC, "e41a1ef5a67bc9b14d9ad2cd62f33b2cb03b73f665b37ca556fc7c794631b973",
               required=False),
    SourceFile("hamburg_services_2025/hamburg_leistungen_2025-05.json",
               "114 Hamburg Service pages, FIM-style sections (hamburg.de, 2025-05)",
               "Freie und Hansestadt Hamburg (hamburg.de)", "not stated; clear before redistribution",
               "0f4e73615c8b02e7a67a5bb73911fadc6a851da14969b84624be8b9ea3392e29", required=False),
    SourceFile("hamburg_services_2025/hamburg_leistung_einrichtung_2025-05.csv",
               "Hamburg service → office pairs (730 rows, 46 offices, no coordinates; 2025-05)",
               "Freie und Hansestadt Hamburg (hamburg.de)", "not stated; clear before redistribution",
               "f19ec62e983537f7dbe819ee88cff3bf716536eddbab4b8154b560713f7a09b7", required=False),
    SourceFile("geo/vg5000_2021_lan.geojson", "VG5000 Länder, Stand 01.01.2021, WGS84",
               _BKG, _DLDE, "400bca623a088e7f5332eb65e6fd9ea8be3a53c124e2c11474319541d8b10d46"),
    SourceFile("geo/vg5000_2021_krs.geojson", "VG5000 Kreise, Stand 01.01.2021, WGS84",
               _BKG, _DLDE, "c10c87a2384aac479cab75b5bae5e92e3f848d103af516483ace5a5e5fd183db"),
    SourceFile("geo/vg5000_2021_vwg.geojson.gz", "VG5000 Gemeindeverbände, Stand 01.01.2021, WGS84",
               _BKG, _DLDE, "b0ecbda010fd0474ec8abb9be45de8597a46105ad5803ef355b37d63acc68706"),
    SourceFile("geo/vg5000_2021_gem.geojson.gz", "VG5000 Gemeinden, Stand 01.01.2021, WGS84",
               _BKG, _DLDE, "cd8bc1ae4c77892ab8d1ca69f17a1e22a5c1ad5b7d3d1bd6a5c5e2a5746edfd3"),
    SourceFile("geo/berlin_plz.geojson", "Berlin PLZ polygons (190), FIS-Broker via rbb-data",
               "Amt für Statistik Berlin-Brandenburg / Geoportal Berlin", "dl-de/by-2-0 (not re-verified)",
               "c31407578c1803298f1808791b2d6f05095e4bfb2a15a39403e1739df5551b0c"),
    SourceFile("gemeindeverzeichnis/destatis_AuszugGV4QAktuell.csv",
               "Gemeindeverzeichnis GV-ISys, Auszug 4. Quartal 2020 (16,068 rows)",
               "Statistisches Bundesamt (Destatis)", "dl-de/by-2-0, Quellenangabe Destatis",
               "34aa727cfd2f7f042852476c1fe0865623c23b8f2a6108976b3e1692d8d0ca30"),
    SourceFile("gemeindeverzeichnis/zuordnung_plz_ort.csv", "PLZ → AGS / Ort (12,871 rows, OSM 2022)",
               "suche-postleitzahl.org / OpenStreetMap contributors", "ODbL 1.0",
               "0e8513a8958f8c261597e82c5b81f5f3a28fc5a36eabcdd59befbf48bce3cf69"),
    SourceFile("places/geonames_cities1000_de.csv", "GeoNames cities1000, Germany (10,508 places, 2016)",
               "GeoNames", "CC BY 4.0", "ec7a18c60874d1329c7cf4b8e3a8e3a17720dedc7eeb4a32d908ea06252eaca1"),
    SourceFile("testpoints/golden_points_ars.json", "13 landmark points with their official ARS",
               "vizsim/wer-ist-zustaendig", "AGPL-3.0 repo; factual content restated with attribution",
               "1e6a3de513e6a4c044a40d9e2bb3a7828c531166c174658647268f8e10d63dae", required=False),
    SourceFile("offices/okfde_gemeindeverwaltungen_bayern.json",
               "Bavarian town halls: name, address, Landkreis, contacts, lat/long, Wikidata QID (2,056; no AGS)",
               "okfde/staedte-gemeinden-verwaltungen (Behördenwegweiser Bayern + Wikidata)",
               "none stated (Wikidata parts CC0): tests and development only",
               "e98317c6338d2813d21b2ae6c9595af6b4a99e6fd617b32ad925b94753bad4f7", required=False),
    SourceFile("offices/okfde_gemeindeverwaltungen_sachsen-anhalt.json",
               "Sachsen-Anhalt town halls: name, email, website, lat/long, Wikidata QID (218; no AGS)",
               "okfde/staedte-gemeinden-verwaltungen", "none stated: tests and development only",
               "0140483fc21cfd111f2153ac88356a6ac8562d0b3038e0a19d156fc238f0c6c2", required=False),
    SourceFile("nrw_wsp_2024/wsp_nrw_leistungen_zustaendigkeit_2024-11.csv",
               "NRW Wirtschafts-Service-Portal list 'Live WSP 11.11': LeiKa key → responsible authority type in "
               "NRW (369 rows, Stand 2024-11-11)",
               "Wirtschafts-Service-Portal.NRW (via DestinyBirdy/OZG-Serviceportal-Crawler 0d9fa9fc)",
               "not stated: development and evaluation only",
               "28e4869d48e534fe33cb7a8a2adc911e48ed261f950060ad9a8a71461f6f241b", required=False),
    SourceFile("synonyms/openthesaurus_de_2016-04-24.txt.gz",
               "OpenThesaurus German synsets (34,379; text export 2016-04-24): its nouns are the compound "
               "lexicon (indexer.lexicon)",
               "OpenThesaurus (Daniel Naber et al.) via Debian openthesaurus-de-text 20160424-4", "LGPL 2.1+",
               "5b0f5f97ffb2d9d7ae898b0257370a44e1224210893c1ebbc8b2d6bfa7623eb1", required=False),
    SourceFile("SOURCES.md", "Provenance, licences and known gaps of every staged file",
               "zufi data staging", "as stated per file",
               None, required=False),
)

BY_PATH: dict[str, SourceFile] = {s.path: s for s in SOURCES}

SERVICES_CSV = BY_PATH["leika_berlin/berlin_d115_leika_synonyme.csv"]
OFFICES_JSON = BY_PATH["leika_berlin/berlin_standorte_2017-06.json"]
AUTHORITIES_JSON = BY_PATH["leika_berlin/berlin_behoerden_2017-06.json"]
TOPICS_2017 = BY_PATH["leika_berlin/berlin_themen_2017-06.json"]
SERVICE_TEXTS_2024 = BY_PATH["berlin_services_2024/berlin_dienstleistungen_texte_2024-09.json.gz"]
OZG_CATALOGUE = BY_PATH["ozg_katalog_2019/ozg_leika_leistungen_2019.csv"]
BERLIN_FULL_2024 = BY_PATH["berlin_services_2024/berlin_dienstleistungen_voll_2024-09_104.json"]
HAMBURG_SERVICES = BY_PATH["hamburg_services_2025/hamburg_leistungen_2025-05.json"]
HAMBURG_OFFICE_PAIRS = BY_PATH["hamburg_services_2025/hamburg_leistung_einrichtung_2025-05.csv"]
TOWNHALLS_BY = BY_PATH["offices/okfde_gemeindeverwaltungen_bayern.json"]
TOWNHALLS_ST = BY_PATH["offices/okfde_gemeindeverwaltungen_sachsen-anhalt.json"]
NRW_WSP = BY_PATH["nrw_wsp_2024/wsp_nrw_leistungen_zustaendigkeit_2024-11.csv"]
THESAURUS = BY_PATH["synonyms/openthesaurus_de_2016-04-24.txt.gz"]

#: Name of the checksum file `fetch_data` writes into the data dir (``sha256sum`` format).
CHECKSUM_FILE = "SHA256SUMS"


# ------------------------------------------------------------------------------------------------------
# Issue 6: the publishers' own downloads (`zufi data fetch` without --mirror). See docs/data.md.

#: Publisher file formats. ``same``: byte-for-byte the mirror file (checked against the pin above);
#: the others are read by :mod:`indexer.formats`; ``mirror-only``: no publisher file has this content
#: (the mirror's copy was extracted or converted by the data staging) — only ``--mirror`` provides it.
FORMAT_SAME = "same"
FORMAT_VG5000_GPKG_ZIP = "vg5000-gpkg-zip"
FORMAT_VG5000_SHP_ZIP = "vg5000-shp-zip"
FORMAT_GV_XLSX = "destatis-gv-xlsx"
FORMAT_GEONAMES_ZIP = "geonames-cities-zip"
FORMAT_D115_TSV = "d115-leika-tsv"  # Berlin data.tsv (TSV, CR line ends, original header)
FORMAT_OZG_SQL = "ozg-mysql-dump"  # kdn-nrw/OZG-Datenbank-NRW symfony.data.sql (MySQL INSERTs)
FORMAT_BERLIN_XLSX = "berlin-services-xlsx"  # tobiasseck/berlin-services-api services_export.xlsx (pandas)
FORMAT_BERLIN_DB = "berlin-services-sqlite"  # tobiasseck/berlin-services-api services.db (SQLModel, page HTML)
FORMAT_HAMBURG_PAGES = "hamburg-md-pages"  # MoDimGH/ReductionOfHallucinations archive: hamburg.de pages as markdown
FORMAT_WSP_XLSX = "wsp-nrw-xlsx"  # WSP.NRW Live-11.11-1.xlsx, sheet "Live WSP 11.11"
FORMAT_GOLDEN_LIST = "golden-points-list"  # vizsim/wer-ist-zustaendig tests/golden-punkte.json (bare list)
FORMAT_OPENTHESAURUS_ZIP = "openthesaurus-zip"  # openthesaurus.de text export (zip with one .txt)
FORMAT_MIRROR_ONLY = "mirror-only"


@dataclass(frozen=True, slots=True)
class PublisherFile:
    """One file as its publisher ships it, and which mirror files (:data:`SOURCES` paths) it stands for.

    ``filename`` is where `zufi data fetch` stores it under the data dir (for ``same`` the mirror path
    itself); ``url`` the publisher's download (for ``mirror-only`` the origin the staging used, not
    downloaded); ``stable`` whether the URL is known to keep serving the pinned content (a year folder
    or a commit), as opposed to a "current" file that changes.
    """

    name: str
    url: str
    format: str
    provides: tuple[str, ...]
    filename: str
    licence: str
    stable: bool
    note: str = ""
    default: bool = True  # fetched by `zufi data fetch` without --source (False: an alternative format)

    @property
    def downloadable(self) -> bool:
        """False for ``mirror-only`` files (no publisher file has the mirror's content)."""
        return self.format != FORMAT_MIRROR_ONLY

    def pin(self) -> str | None:
        """The pinned SHA-256 of a ``same`` file (from :data:`SOURCES`); None for converted formats."""
        return BY_PATH[self.provides[0]].sha256 if self.format == FORMAT_SAME else None


_VG = ("geo/vg5000_2021_lan.geojson", "geo/vg5000_2021_krs.geojson", "geo/vg5000_2021_vwg.geojson.gz",
       "geo/vg5000_2021_gem.geojson.gz")
_VG5000_BASE = "https://daten.gdz.bkg.bund.de/produkte/vg/vg5000_0101/2021/"
_GH = "https://raw.githubusercontent.com/"
_OKFDE = "aa125dfb2c4d96c9228b1a52cb89096bbf286e4c"  # HEAD of okfde/staedte-gemeinden-verwaltungen (2020-09-29)
_OZG_DB = "4edb4b27868ddeb44bb04edac5d07994726e02cd"  # kdn-nrw/OZG-Datenbank-NRW, dump as of 2019-12-20
_BSA = _GH + "tobiasseck/berlin-services-api/"  # the Berlin 2024 scrape (SOURCES.md §8)
_BSA_XLSX = "8873244e86fdae8f3c50517371e97b338b318ddd"  # services_export.xlsx, 2024-09-02
_BSA_DB = "e60f8f639f704159d9a33c3dcb86d9dba7f98d73"  # services.db (repo root) as stored; HEAD is f4a4619e

PUBLISHER_FILES: tuple[PublisherFile, ...] = (
    PublisherFile("vg5000", _VG5000_BASE + "vg5000_01-01.utm32s.gpkg.ebenen.zip", FORMAT_VG5000_GPKG_ZIP,
                  _VG, "geo/vg5000_01-01.utm32s.gpkg.ebenen.zip", _DLDE, True,
                  "VG5000 Stand 01.01.2021, GeoPackage in EPSG:25832 (layers vg5000_lan/krs/vwg/gem); year "
                  "folder 2021 (URL pattern of the BKG download server, not verified offline)"),
    PublisherFile("vg5000-shape", _VG5000_BASE + "vg5000_01-01.utm32s.shape.ebenen.zip", FORMAT_VG5000_SHP_ZIP,
                  _VG, "geo/vg5000_01-01.utm32s.shape.ebenen.zip", _DLDE, True,
                  "the same as shapefiles (VG5000_LAN/KRS/VWG/GEM.shp), EPSG:25832; only with --source",
                  default=False),
    PublisherFile("destatis-gv",
                  "https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/"
                  "Administrativ/Archiv/GVAuszugQ/AuszugGV4QAktuell.xlsx?__blob=publicationFile",
                  FORMAT_GV_XLSX, ("gemeindeverzeichnis/destatis_AuszugGV4QAktuell.csv",),
                  "gemeindeverzeichnis/AuszugGV4QAktuell.xlsx", "dl-de/by-2-0, Quellenangabe Destatis", False,
                  "GV-ISys 'Auszug GV 4. Quartal' spreadsheet; 'Aktuell' is replaced every year"),
    PublisherFile("plz-ort", "https://downloads.suche-postleitzahl.org/v2/public/zuordnung_plz_ort.csv",
                  FORMAT_SAME, ("gemeindeverzeichnis/zuordnung_plz_ort.csv",),
                  "gemeindeverzeichnis/zuordnung_plz_ort.csv", "ODbL 1.0, © OpenStreetMap contributors", False,
                  "rebuilt from OpenStreetMap from time to time: a new file needs --accept-new"),
    PublisherFile("berlin-standorte", "https://service.berlin.de/export/standorte/json/", FORMAT_SAME,
                  ("leika_berlin/berlin_standorte_2017-06.json",), "leika_berlin/berlin_standorte_2017-06.json",
                  _BERLIN_LIC, False, "live export; the pinned copy is of 2017-06-08"),
    PublisherFile("berlin-behoerden", "https://service.berlin.de/export/behoerden/json/", FORMAT_SAME,
                  ("leika_berlin/berlin_behoerden_2017-06.json",), "leika_berlin/berlin_behoerden_2017-06.json",
                  _BERLIN_LIC, False, "live export; the pinned copy is of 2017-06-08"),
    PublisherFile("berlin-themen", "https://service.berlin.de/export/themen/json/", FORMAT_SAME,
                  ("leika_berlin/berlin_themen_2017-06.json",), "leika_berlin/berlin_themen_2017-06.json",
                  _BERLIN_LIC, False, "live export; the pinned copy is of 2017-06-08"),
    PublisherFile("berlin-plz", _GH + "rbb-data/public-parks/master/source/plz.geojson", FORMAT_SAME,
                  ("geo/berlin_plz.geojson",), "geo/berlin_plz.geojson", "dl-de/by-2-0 (not re-verified)", False,
                  "copy of the Geoportal Berlin FIS-Broker layer 'Postleitzahlen' in the rbb-data repo"),
    PublisherFile("geonames", "https://download.geonames.org/export/dump/cities1000.zip", FORMAT_GEONAMES_ZIP,
                  ("places/geonames_cities1000_de.csv",), "places/cities1000.zip", "CC BY 4.0, GeoNames", False,
                  "all countries, updated daily; zufi reads the rows with country code DE"),
    # --- from repositories: the d115 table's original TSV (converted by indexer.formats), the okfde files as
    # they are; the rest has no publisher file with the mirror's content (staged, see SOURCES.md)
    PublisherFile("berlin-d115-leika", _GH + "shansmann/chatbot-egov-berlin/c612b891/data/data.tsv",
                  FORMAT_D115_TSV, ("leika_berlin/berlin_d115_leika_synonyme.csv",),
                  "leika_berlin/data.tsv", _BERLIN_LIC, True,
                  "the original data.tsv (UTF-8, tab-separated, CR line ends, header 'D115 ID', 'Leika Nummer' "
                  "…) at commit c612b891, read by indexer.formats.read_d115_tsv; raw URL with the short commit "
                  "id not verified offline"),
    PublisherFile("berlin-2024-texte", _BSA + _BSA_XLSX + "/Scraper%20Build/services_export.xlsx",
                  FORMAT_BERLIN_XLSX,
                  ("berlin_services_2024/berlin_dienstleistungen_texte_2024-09.json.gz",),
                  "berlin_services_2024/services_export.xlsx", _BERLIN_LIC, True,
                  "the scrape's export 'Scraper Build/services_export.xlsx' at commit 8873244e (sheets Services, "
                  "ServiceDetails), read by indexer.formats_berlin.read_berlin_export_xlsx; raw URL not verified "
                  "offline"),
    PublisherFile("berlin-2024-voll", _BSA + _BSA_DB + "/services.db", FORMAT_BERLIN_DB,
                  ("berlin_services_2024/berlin_dienstleistungen_voll_2024-09_104.json",),
                  "berlin_services_2024/services.db", _BERLIN_LIC, True,
                  "the scrape's SQLite 'services.db' (repo root, 104 pages) at commit e60f8f63 (tables service, "
                  "servicedetail with the page HTML, formular), read by indexer.formats_berlin."
                  "read_berlin_services_db; raw URL not verified offline"),
    PublisherFile("ozg-katalog", _GH + "kdn-nrw/OZG-Datenbank-NRW/" + _OZG_DB + "/doc-dev/databases/symfony.data.sql",
                  FORMAT_OZG_SQL, ("ozg_katalog_2019/ozg_leika_leistungen_2019.csv",),
                  "ozg_katalog_2019/symfony.data.sql", "repo MIT; catalogue licence not verified", True,
                  "the MySQL dump doc-dev/databases/symfony.data.sql at commit 4edb4b27 (tables ozg_service, "
                  "ozg_service_system, ozg_situation, ozg_subject), read by indexer.formats.read_ozg_sql_dump; "
                  "raw URL not verified offline"),
    PublisherFile("hamburg-leistungen", "https://codeload.github.com/MoDimGH/ReductionOfHallucinations/zip/"
                  "72c40cf11df6c1e79023f85eaa16b7c4800b0f0c", FORMAT_HAMBURG_PAGES,
                  ("hamburg_services_2025/hamburg_leistungen_2025-05.json",
                   "hamburg_services_2025/hamburg_leistung_einrichtung_2025-05.csv"),
                  "hamburg_services_2025/ReductionOfHallucinations-72c40cf1.zip", "not stated", True,
                  "the repository archive at commit 72c40cf1 (2025-06-21): markdown copies of hamburg.de/service "
                  "pages in scraping/dataset, old_data/dataset_old, old_data/all_files_1, merged into service "
                  "records and office pairs by indexer.formats_hamburg.read_hamburg_pages; archive URL and size "
                  "not verified offline"),
    # the okfde repo's files unchanged (same length, start and end as the stored repo at aa125dfb; the pin decides)
    PublisherFile("townhalls", _GH + "okfde/staedte-gemeinden-verwaltungen/" + _OKFDE + "/bayern.json", FORMAT_SAME,
                  ("offices/okfde_gemeindeverwaltungen_bayern.json",),
                  "offices/okfde_gemeindeverwaltungen_bayern.json", "none stated", True,
                  "bayern.json of okfde/staedte-gemeinden-verwaltungen at commit aa125dfb"),
    PublisherFile("townhalls-st", _GH + "okfde/staedte-gemeinden-verwaltungen/" + _OKFDE + "/sachsen-anhalt.json",
                  FORMAT_SAME, ("offices/okfde_gemeindeverwaltungen_sachsen-anhalt.json",),
                  "offices/okfde_gemeindeverwaltungen_sachsen-anhalt.json", "none stated", True,
                  "sachsen-anhalt.json of okfde/staedte-gemeinden-verwaltungen at commit aa125dfb"),
    PublisherFile("nrw-wsp", "https://wsp-veroeffentlichungen.nrw/wp-content/uploads/Live-11.11-1.xlsx",
                  FORMAT_WSP_XLSX, ("nrw_wsp_2024/wsp_nrw_leistungen_zustaendigkeit_2024-11.csv",),
                  "nrw_wsp_2024/Live-11.11-1.xlsx", "not stated", False,
                  "the publisher's list 'Live WSP 11.11' (Stand 11.11.2024), read by indexer.formats_wsp."
                  "read_wsp_xlsx (header row found by name); a WordPress upload that may be replaced or removed"),
    PublisherFile("nrw-wsp-repo", _GH + "DestinyBirdy/OZG-Serviceportal-Crawler/"
                  "0d9fa9fc3d0c357ae149e99a9c1e030488f8c74b/Live-11.11-1.xlsx",
                  FORMAT_WSP_XLSX, ("nrw_wsp_2024/wsp_nrw_leistungen_zustaendigkeit_2024-11.csv",),
                  "nrw_wsp_2024/Live-11.11-1.repo.xlsx", "not stated", True,
                  "the same xlsx as committed to DestinyBirdy/OZG-Serviceportal-Crawler at commit 0d9fa9fc "
                  "(2025-02-12; removed later), the copy the staging converted; only with --source", default=False),
    PublisherFile("golden-points", _GH + "vizsim/wer-ist-zustaendig/5439299a6d04cfbb7f286c2beb0f91a9f97ac49a/"
                  "tests/golden-punkte.json", FORMAT_GOLDEN_LIST,
                  ("testpoints/golden_points_ars.json",), "testpoints/golden-punkte.json", "AGPL-3.0 repo", True,
                  "tests/golden-punkte.json at commit 5439299a (13 points; a bare JSON list), read by "
                  "indexer.formats_points.read_golden_points into the mirror's {source, points} object"),
    PublisherFile("openthesaurus", "https://www.openthesaurus.de/export/OpenThesaurus-Textversion.zip",
                  FORMAT_OPENTHESAURUS_ZIP, ("synonyms/openthesaurus_de_2016-04-24.txt.gz",),
                  "synonyms/OpenThesaurus-Textversion.zip", "LGPL 2.1+", False,
                  "the current text export (zip with openthesaurus.txt, same line format as the 2016 file), "
                  "read by indexer.lexicon; replaced often: the file is verified by parsing, and a copy "
                  "recorded in SHA256SUMS is kept (delete it to fetch the current export)"),
    PublisherFile("sources-md", "../shared/data/SOURCES.md", FORMAT_MIRROR_ONLY, ("SOURCES.md",), "SOURCES.md",
                  "as stated per file", False, "the mirror's own provenance notes"),
)

PUBLISHER_BY_NAME: dict[str, PublisherFile] = {p.name: p for p in PUBLISHER_FILES}
