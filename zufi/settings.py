"""Typed configuration: every setting is an environment variable with the prefix ``ZUFI_``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All of zufi's settings in one place.

    Read from the environment (``ZUFI_HOME``, ``ZUFI_BACKEND`` …) when constructed; nothing is read at
    import time. Tests build their own ``Settings(home=tmp_path)`` instead of patching ``os.environ``.
    """

    model_config = SettingsConfigDict(env_prefix="ZUFI_", extra="ignore")

    home: Path = Field(Path("var/zufi"), description="Working directory: fetched data and built indexes.")
    mirror: Path | None = Field(None, description="Local mirror of the public data (e.g. ../shared/data).")
    backend: Literal["tantivy"] = Field("tantivy", description="Search backend for services.")
    near_boundary_m: float = Field(
        500.0, ge=0, le=20_000, description="Distance in metres to a neighbouring Gemeinde that triggers "
        "the near_boundary warning (VG5000 is generalised by 100 m – 1 km)."
    )
    max_query_chars: int = Field(200, ge=10, le=2000, description="Longest accepted free-text query.")
    max_limit: int = Field(50, ge=1, le=500, description="Largest accepted result limit.")
    offices_per_service: int = Field(5, ge=0, le=100, description="Offices listed per service result.")
    host: str = Field("127.0.0.1", description="Address `zufi serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `zufi serve` listens on.")
    geocoder: Literal["offline", "nominatim", "photon"] = Field(
        "offline", description="Street-address geocoder: offline (the gazetteer, no network; place-level "
        "points) or a Nominatim/Photon service at ZUFI_GEOCODER_URL (falls back to offline on errors).")
    geocoder_url: str | None = Field(None, description="Base URL of the Nominatim/Photon service, e.g. "
                                     "https://nominatim.openstreetmap.org")
    geocoder_user_agent: str = Field("zufi (Zustaendigkeitsfinder)", description="HTTP User-Agent for the "
                                     "geocoder; Nominatim's usage policy asks for one naming the application.")
    geocoder_min_delay_s: float = Field(1.0, ge=0, le=60, description="Least seconds between geocoder requests "
                                        "(geopy RateLimiter; Nominatim's public service allows 1 per second).")
    geocoder_timeout_s: float = Field(5.0, gt=0, le=60, description="Timeout of one geocoder request in seconds.")
    synonym_files: list[Path] = Field(
        default_factory=list, description="Extra query-time synonym/translation rule files (JSON list), "
        "read after finder/data/synonyms.tsv and translations.tsv; same format (finder/data/README.md)."
    )

    debug: bool = Field(False, description="Show tracebacks of internal errors in the CLI (ZUFI_DEBUG=1).")

    @model_validator(mode="after")
    def _geocoder_needs_url(self) -> Settings:
        if self.geocoder != "offline" and not self.geocoder_url:
            raise ValueError(f"geocoder {self.geocoder!r} needs ZUFI_GEOCODER_URL")
        return self

    @property
    def data_dir(self) -> Path:
        """Directory that `zufi data fetch` fills and `zufi index` reads (``$ZUFI_HOME/data``)."""
        return self.home / "data"

    @property
    def index_root(self) -> Path:
        """Directory holding index builds and the ``current`` link (``$ZUFI_HOME/index``)."""
        return self.home / "index"

    @property
    def current_index(self) -> Path:
        """The serving index: a symlink to one build directory, swapped atomically by `zufi index`."""
        return self.index_root / "current"
