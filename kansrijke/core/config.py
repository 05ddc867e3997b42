"""Load and validate ``config.yaml``.

The schema is declared once with pydantic (``extra="forbid"`` everywhere) and
every validation problem is turned into one Dutch sentence that names the key
and what is allowed (one of ``ConfigError.messages``, the key in ``places``).
The app shows those sentences, the CLI prints them and exits with code 2.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kansrijke.core.errors import UserError
from kansrijke.core.i18n import load_yaml, t

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = PROJECT_ROOT / "config.yaml"
ENV_CONFIG = "KANSRIJKE_CONFIG"
ENV_DB = "KANSRIJKE_DB"
ENV_DEMO_DB = "KANSRIJKE_DEMO_DB"
DEMO_FILE_NAME = "demo.duckdb"  # the demo file's name beside the own database when ``demo.path`` is not set

Unit = Literal["%", "per 1000", "aantal", "ja/nee"]
SCALE = {"%": 100.0, "per 1000": 1000.0}  # a rate's value is events / denominator x its scale
Direction = Literal["lager_beter", "hoger_beter", "context"]
Level = Literal["gemeente", "landelijk", "programma"]
DemoDenominator = Literal[
    "inwoners", "geboorten", "meisjes_15_19", "minderjarigen", "huishoudens_met_kinderen", "ja_nee"
]
PEER_CHARACTERISTICS = ("inwoners", "stedelijkheid", "kinderen_armoede", "bijstandskinderen", "eenoudergezinnen")


class ConfigError(UserError):
    """Invalid or unreadable configuration: Dutch messages that name the key (``places``: the keys)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(_Model):
    path: str = Field(min_length=1)


class ReferenceConfig(_Model):
    municipalities: str
    gids: str | None = None
    boundaries: str | None = None


class DemoConfig(_Model):
    path: str | None = Field(None, min_length=1)  # None: ``demo.duckdb`` beside the own database
    build_on_first_start: bool = True
    seed: int = 1000
    first_year: int = Field(2015, ge=2000, le=2100)
    last_year: int = Field(2024, ge=2000, le=2100)
    share_without_coalition: float = Field(0.12, ge=0, le=1)
    share_regional: float = Field(0.25, ge=0, le=1)

    @model_validator(mode="after")
    def _years(self) -> DemoConfig:
        if self.last_year < self.first_year:
            raise ValueError("last_year moet gelijk aan of later dan first_year zijn")
        return self


class StatusConfig(_Model):
    path: Literal["linear"] = "linear"
    on_track_ratio: float = Field(0.9, gt=0, le=1)
    attention_ratio: float = Field(0.5, ge=0, lt=1)
    confidence_level: Literal[0.9, 0.95, 0.99] = 0.95
    pool_years: int = Field(3, ge=1, le=5)  # years pooled when one year is too noisy to judge a goal (1 = never)

    @model_validator(mode="after")
    def _order(self) -> StatusConfig:
        if self.attention_ratio >= self.on_track_ratio:
            raise ValueError("attention_ratio moet kleiner zijn dan on_track_ratio")
        return self


class PeriodsConfig(_Model):
    min_coverage: float = Field(0.5, gt=0, le=1)  # share of municipalities with figures for a year to be the default


class PrivacyConfig(_Model):
    min_count: int = Field(10, ge=1, le=1000)


class PeerSimilarity(_Model):
    size: int = Field(15, ge=2, le=100)
    weights: dict[Literal[PEER_CHARACTERISTICS], float]  # type: ignore[valid-type]

    @field_validator("weights")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        if not value or any(w < 0 for w in value.values()) or sum(value.values()) <= 0:
            raise ValueError("gewichten moeten 0 of hoger zijn en samen meer dan 0")
        return value


class PeerGroups(_Model):
    vergelijkbare_gemeenten: PeerSimilarity
    groups: list[Literal["provincie", "grootteklasse", "stedelijkheid", "gids"]]


class StatlineColumn(_Model):
    """One measure column of a CBS StatLine download and the catalogue indicator it feeds."""

    kolommen: list[str] = Field(min_length=1)  # column code(s) or label(s), matched case-insensitively
    indicator: str
    rol: Literal["waarde", "teller", "noemer"]


class ImportConfig(_Model):
    max_file_mb: float = Field(20, gt=0, le=500)
    max_rows: int = Field(250_000, ge=1)
    # What reading one file may cost, checked before a library reads it (``dataio/limits.py``)
    max_unpacked_mb: float = Field(200, gt=0, le=4000)  # a zip (xlsx, backup) unpacked, all members together
    max_zip_members: int = Field(1000, ge=10)
    max_zip_ratio: float = Field(200, ge=10)  # unpacked / packed size of one member (from 1 MB unpacked)
    max_cells: int = Field(2_500_000, ge=1000)  # rows x columns of all sheets of a workbook together
    max_shared_strings: int = Field(1_000_000, ge=1000)
    max_text_mb: float = Field(50, gt=0)  # text in the cells of a workbook (a shared text counted per cell)
    max_columns: int = Field(1000, ge=10)  # per sheet or CSV line
    max_line_kb: float = Field(1024, gt=0)  # one line of a CSV file
    max_field_kb: float = Field(128, gt=0)  # one field of a CSV file
    max_yaml_depth: int = Field(20, ge=5, le=100)
    max_yaml_nodes: int = Field(250_000, ge=1000)  # values in a YAML file (a plan with 20.000 actions: 240.000)
    max_parse_memory_mb: int = Field(800, ge=100)  # the child process that reads a workbook
    max_parse_seconds: float = Field(60, gt=0)
    warn_factor: float = Field(3.0, gt=1)  # warn when a rate is this many times above/below national
    statline: list[StatlineColumn] = []


class ActionsConfig(_Model):
    quiet_months: int = Field(6, ge=1, le=60)  # a goal/coalition is "stil" after this many months without action


class LogsConfig(_Model):
    path: str = Field("logs/kansrijke.log", min_length=1)  # details of unexpected failures (``core/logs.py``)


class AccessConfig(_Model):
    """Who may do what when sign-in is configured (``kansrijke.access``): the first beheerder(s) by e-mail, and the
    role of a signed-in person without any grant (None: no role; such a person can read nothing)."""

    beheerders: list[str] = []
    standaardrol: Literal["kijker", "pharos"] | None = "kijker"

    @field_validator("beheerders")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        found = [" ".join(str(v).split()).lower() for v in value]
        bad = [v for v in found if "@" not in v or " " in v]
        if bad:
            raise ValueError(f"geen e-mailadres: {', '.join(bad)}")
        return list(dict.fromkeys(found))


class UiConfig(_Model):
    language: Literal["nl"] = "nl"
    default_municipality: str = Field("GM0363", pattern=r"^GM\d{4}$")
    key_indicators: list[str] = Field(min_length=1, max_length=8)
    latest_actions: int = Field(5, ge=1, le=50)


class NationalValue(_Model):
    waarde: float | None = None
    jaar: str | None = None
    bron_url: str | None = None
    zekerheid: Literal["hoog", "midden", "laag"] | None = None


class DemoIndicator(_Model):
    niveau: float = Field(ge=0)
    jaar: int
    trend: float
    noemer: DemoDenominator
    gradient: float = Field(ge=0, le=3)


class Indicator(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    naam: str = Field(min_length=1)
    name_en: str
    fase: str
    teller: str | None = None
    noemer: str | None = None
    eenheid: Unit
    richting: Direction
    bron: str
    publicatieniveau: str
    niveau: Level
    status: Literal["actief", "opgeschort"] = "actief"
    vertraging_jaren: int = Field(1, ge=0, le=5)
    definitie: str
    kanttekeningen: list[str] = []
    landelijk: NationalValue = NationalValue()
    demo: DemoIndicator | None = None


class Config(_Model):
    database: DatabaseConfig
    reference: ReferenceConfig
    demo: DemoConfig
    status: StatusConfig
    privacy: PrivacyConfig
    peer_groups: PeerGroups
    ui: UiConfig
    imports: ImportConfig = ImportConfig()
    actions: ActionsConfig = ActionsConfig()
    periods: PeriodsConfig = PeriodsConfig()
    access: AccessConfig = AccessConfig()
    logs: LogsConfig = LogsConfig()
    indicatoren: list[Indicator] = Field(min_length=1)

    # Where the file was read from; relative paths resolve against it.
    base_dir: Path = Field(default=PROJECT_ROOT, exclude=True)

    @model_validator(mode="after")
    def _cross_checks(self) -> Config:
        ids = [i.id for i in self.indicatoren]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"indicator-id komt dubbel voor: {', '.join(dupes)}")
        unknown = [k for k in self.ui.key_indicators if k not in ids]
        if unknown:
            raise ValueError(f"ui.key_indicators noemt onbekende indicator(en): {', '.join(unknown)}")
        unknown = [m.indicator for m in self.imports.statline if m.indicator not in ids]
        if unknown:
            raise ValueError(f"imports.statline noemt onbekende indicator(en): {', '.join(unknown)}")
        return self

    # -- convenience -------------------------------------------------------
    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicatoren:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    @property
    def municipal_indicators(self) -> list[Indicator]:
        return [i for i in self.indicatoren if i.niveau == "gemeente"]

    def resolve(self, path: str) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    # -- the two database files ----------------------------------------------
    # Own data and the demo never share a file. The own database (``database.path``, env ``KANSRIJKE_DB``) is
    # made by ``python -m kansrijke init`` or by restoring a backup; the demo file (``demo.path``, env
    # ``KANSRIJKE_DEMO_DB``, by default ``demo.duckdb`` beside the own database) by ``python -m kansrijke demo``
    # or on first start. The app and every CLI command except ``init`` and ``demo`` open the ACTIVE file.
    @property
    def own_database_path(self) -> Path:
        """The municipality's own database: ``database.path``, or ``KANSRIJKE_DB`` when set."""
        env = os.environ.get(ENV_DB)
        return Path(env).expanduser().resolve() if env else self.resolve(self.database.path)

    @property
    def demo_database_path(self) -> Path:
        """The demo file: ``KANSRIJKE_DEMO_DB`` when set, else ``demo.path``, else ``demo.duckdb`` in the folder
        of the own database."""
        env = os.environ.get(ENV_DEMO_DB)
        if env:
            return Path(env).expanduser().resolve()
        if self.demo.path:
            return self.resolve(self.demo.path)
        return self.own_database_path.with_name(DEMO_FILE_NAME)

    @property
    def active_database_path(self) -> Path:
        """The file the app and the CLI open: the own database when that file exists, else the demo file
        (which the app builds on first start when ``demo.build_on_first_start`` is on)."""
        own = self.own_database_path
        return own if own.exists() else self.demo_database_path

    @property
    def database_path(self) -> Path:
        """The ACTIVE database (``active_database_path``): what every page and command reads and writes."""
        return self.active_database_path


def _loc(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts)


def _expected(err: dict) -> str:
    """What is allowed, in Dutch, for one pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return t("config.expected_known_key")
    if kind == "missing":
        return t("config.expected_present")
    if kind == "literal_error":
        return t("config.expected_one_of", allowed=str(ctx.get("expected", "")).replace(" or ", " of "))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return t("config.expected_int")
    if kind in ("float_parsing", "float_type"):
        return t("config.expected_number")
    if kind in ("bool_parsing", "bool_type"):
        return t("config.expected_bool")
    if kind in ("string_type",):
        return t("config.expected_text")
    if kind in ("list_type",):
        return t("config.expected_list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return t("config.expected_mapping")
    if kind == "string_pattern_mismatch":
        return t("config.expected_pattern", pattern=ctx.get("pattern", ""))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "")
        return t("config.expected_bound", op=op, bound=bound)
    if kind in ("too_short", "too_long", "string_too_short"):
        return t("config.expected_length")
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg", "")))
    return err.get("msg", kind)


def _describe(exc: ValidationError, source: Path, raw: dict) -> ConfigError:
    lines, keys = [], []
    for err in exc.errors():
        loc = err["loc"]
        key = _loc(loc) or t("config.root")
        if len(loc) >= 2 and loc[0] == "indicatoren" and isinstance(loc[1], int):
            try:
                where = f"indicatoren[{loc[1]}]"
                key = key.replace(where, f"{where} ({raw['indicatoren'][loc[1]]['id']})", 1)
            except (KeyError, IndexError, TypeError):
                pass
        if err["type"] == "missing":
            lines.append(t("config.problem_missing", key=key))
        elif err["type"] == "extra_forbidden":
            lines.append(t("config.problem_unknown", key=key))
        else:
            value = err.get("input")
            shown = t("config.this_value") if isinstance(value, (dict, list)) else repr(value)
            lines.append(t("config.problem", key=key, value=shown, expected=_expected(err)))
        keys.append(key)
    return ConfigError(lines, places=keys, lead=t("config.invalid", file=str(source), count=len(lines)))


CONFIG_YAML_DEPTH = 32  # config.yaml: nesting levels (libyaml's loader crashes the process on very deep nesting)
CONFIG_YAML_NODES = 200_000  # config.yaml: values, an alias counted as the values it repeats


def yaml_bounds(text: str, max_depth: int, max_nodes: int, aliases: bool = True) -> tuple[str, int] | None:
    """The first bound a YAML text breaks, read from its events before anything is built (libyaml, which stops
    early): ``("depth", line)``, ``("nodes", line)`` or, when ``aliases`` is false, ``("alias", line)``; None
    within bounds. An alias counts as the values it repeats ("billion laughs"). A syntax error ends the scan:
    the loader reports it, stopping at the same place."""
    sizes: dict[str, int] = {}  # anchor -> the values it stands for
    stack: list[list] = []  # open collections: [anchor, values so far]
    total = 0
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
                size = 1
                if len(stack) > max_depth:
                    return ("depth", line)
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, size = stack.pop()
                if anchor:
                    sizes[anchor] = size
                if stack:
                    stack[-1][1] += size
                continue
            elif isinstance(event, yaml.AliasEvent):
                if not aliases:
                    return ("alias", line)
                size = sizes.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                size = 1
                if event.anchor:
                    sizes[event.anchor] = size
            else:
                continue
            total += size
            if stack and not isinstance(event, yaml.CollectionStartEvent):
                stack[-1][1] += size
            if total > max_nodes:
                return ("nodes", line)
    except yaml.YAMLError:
        return None
    return None


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate the configuration; raise ``ConfigError`` with a Dutch message."""
    source = Path(path or os.environ.get(ENV_CONFIG) or DEFAULT_CONFIG).expanduser().resolve()
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(t("config.missing_file", file=str(source))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(t("config.unreadable", file=str(source), error=exc)) from None
    broken = yaml_bounds(text, CONFIG_YAML_DEPTH, CONFIG_YAML_NODES)
    if broken is not None:
        limit = CONFIG_YAML_DEPTH if broken[0] == "depth" else CONFIG_YAML_NODES
        raise ConfigError(t(f"limits.config_{broken[0]}", file=str(source), line=broken[1], max=limit))
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        raise ConfigError(t("config.yaml_error", file=str(source), line=line)) from None
    if not isinstance(raw, dict):
        raise ConfigError(t("config.not_mapping", file=str(source)))
    try:
        return Config(**raw, base_dir=source.parent)
    except ValidationError as exc:
        raise _describe(exc, source, raw) from None


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Config:
    return load_config(path)


def get_config(path: str | Path | None = None) -> Config:
    """Cached ``load_config``; reloads when the file changes."""
    source = Path(path or os.environ.get(ENV_CONFIG) or DEFAULT_CONFIG).expanduser().resolve()
    try:
        mtime = source.stat().st_mtime
    except OSError:
        return load_config(source)
    return _cached(str(source), mtime)
