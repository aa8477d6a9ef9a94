"""Pipeline settings: one frozen dataclass with documented defaults, loaded once.

Precedence: CLI option, then the optional ``sheetkit.toml``, then the defaults here.
Stages receive the config (or a slice of it); none reads the environment.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .rules import RuleError, parse_rule


@dataclass(frozen=True)
class ValueTier:
    """A value tier: customers who spent at least ``min_amount`` in the 12 months before as-of."""

    name: str
    min_amount: float


@dataclass(frozen=True)
class Tag:
    """A tag: customers meeting the rule ``when`` (rules.py) get ``name``, in the column
    ``tags_<level>`` and in ``tags``."""

    name: str
    level: str
    when: str


# The bundled tags (README "Tags"): value from spend, behaviour from recency and frequency,
# and the data-quality flags sheetkit always gave. A tag of yours with the same name
# replaces one of these; ``default_tags = false`` drops them all.
DEFAULT_TAGS = (
    Tag("high value", "value", "amount_12m >= 50000"),
    Tag("frequent buyer", "behaviour", "order_count_12m >= 4"),
    Tag("recent buyer", "behaviour", "days_since_order <= 90"),
    Tag("lapsed buyer", "behaviour", "order_count > 0 and days_since_order > 365"),
    Tag("multi-source", "data", "sources contains '; '"),
    Tag("no phone", "data", "phone is empty"),
    Tag("no e-mail", "data", "email is empty"),
    Tag("stale", "data", "freshness == 'stale'"),
    Tag("needs review", "data", "review_pairs > 0"),
    Tag("has issues", "data", "issue_codes is not empty"),
)


@dataclass(frozen=True)
class PipelineConfig:
    """Every threshold and rule the pipeline uses. Defaults suit a small Chinese business."""

    # Normalising
    default_region: str = "CN"          # phone numbers without a country code
    base_currency: str = "CNY"          # amounts that state another currency stay out of totals
    # Reading
    header_scan_rows: int = 30          # how far down to look for the header row
    header_overrides: dict[str, str] = field(default_factory=dict)  # "表头" -> field
    owner_from_sheet: bool = False      # no owner column: the sheet's name (one per salesperson) is the owner
    # Dedupe: a pair's score is the log2 odds that it is one customer, from weights estimated
    # on the data (stages/weights.py): 0 is an even chance, each point doubles the odds.
    # 1.5 (probability 0.74), measured on lists sheetkit did not write: F1 rises from 2 down to
    # 1.25 on every one, and precision falls off an edge below that (one name and a mailbox
    # anyone of that name might be given, jennifersmith@, scores 1.04); 1.5 keeps a margin from
    # the edge (benchmarks/README.md, twelfth session)
    merge_threshold: float = 1.5        # at or above: merged automatically
    review_threshold: float = -2.0      # between the two: goes to the Review sheet (-2: probability 1/5)
    max_block_size: int = 300           # larger blocks are split by the name's first character
    common_name_records: int = 10      # a name more people than this carry is a blocking key only with the city
    # Golden record (see stages/survive.py): the rule that picks each field's value among a
    # customer's records; "*" sets it for every field not named. Rules: most_recent,
    # most_frequent, longest, source_priority. Unset: most recent, dates as facts.
    survivorship: dict[str, str] = field(default_factory=dict)
    source_priority: tuple[str, ...] = ()  # file or sheet name patterns (* ?), most trusted first
    # Segments
    value_tiers: tuple[ValueTier, ...] = (
        ValueTier("A", 50_000),
        ValueTier("B", 10_000),
        ValueTier("C", 0.01),
    )
    new_customer_days: int = 90         # first order this recent: "new"
    at_risk_days: int = 180             # no order for this long: "at risk"
    churned_days: int = 365             # no order for this long: "churned"
    loyal_min_orders: int = 5           # this many orders and still active: "loyal"
    tags: tuple[Tag, ...] = ()          # [[tags]] name, level, when: added to DEFAULT_TAGS
    default_tags: bool = True           # false: only your own tags
    # Owners, the pool (公海) and re-verification (定期核对)
    pool_after_days: int = 90           # an owner's customer with no contact or order for longer goes to the pool
    verify_after_days: int = 180        # contact data confirmed longer ago goes on the Verify sheet
    # Freshness (days since the last sign of life: contact, order, record date)
    fresh_days: int = 90
    stale_days: int = 365
    # Threads for work done column by column (normalising), and processes for the phone
    # numbers libphonenumber parses one by one when they are many; 0: one per core this
    # process may use. 1 keeps a run to one core on a machine shared with other jobs.
    threads: int = 0
    # Language and sharing (export, share)
    lang: str = ""                      # zh, en or both for what people read; "": SHEETKIT_LANG, else the
                                        # system locale (terminal, share, export), both (run's report)
    password_file: str = ""             # share: the workbook password's file (first line), for cron jobs
    # Report
    report_examples: int = 5            # examples shown per issue rule
    report_rows: int = 50               # rows shown in the report's merge and review tables
    # Archive: copies of replaced outputs kept in OUT/history/ (the archive keeps every run)
    keep_runs: int = 10

    @property
    def all_tags(self) -> tuple[Tag, ...]:
        """Your tags, then the bundled ones you did not replace by name (unless switched off)."""
        mine = {t.name for t in self.tags}
        defaults = DEFAULT_TAGS if self.default_tags else ()
        return self.tags + tuple(t for t in defaults if t.name not in mine)

    def replace(self, **changes: Any) -> PipelineConfig:
        """A copy with some settings changed (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def check_region(region: str) -> list[str]:
    """Problems with a phone region code (empty list when it is one phonenumbers knows)."""
    import phonenumbers

    if region not in phonenumbers.SUPPORTED_REGIONS:
        return [f"default_region {region!r} is not a region code like CN, HK, TW, US, GB (upper case)"]
    return []


def read_tags(value: object) -> tuple[tuple[Tag, ...], list[str]]:
    """The ``[[tags]]`` tables as Tags, and every problem with them (each rule is parsed:
    a rule that cannot be read is named with its number, counted from 1, and position)."""
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        return (), ['tags: expected [[tags]] tables with name, level and when']
    tags, problems, seen = [], [], set()
    for i, table in enumerate(value, start=1):
        name = table.get("name")
        label = f'tags[{i}] "{name}"' if isinstance(name, str) else f"tags[{i}]"
        unknown = sorted(set(table) - {"name", "level", "when"})
        if unknown:
            problems.append(f"{label}: unknown key {', '.join(map(repr, unknown))} (keys: name, level, when)")
        missing = [k for k in ("name", "level", "when") if not isinstance(table.get(k), str) or not table[k].strip()]
        if missing:
            problems.append(f"{label}: needs {' and '.join(missing)} (text)")
            continue
        if name in seen:
            problems.append(f"{label}: a second tag of that name")
        seen.add(name)
        try:
            parse_rule(table["when"])
        except RuleError as exc:
            problems.append(f"{label}: {exc}")
            continue
        tags.append(Tag(name.strip(), table["level"].strip(), table["when"]))
    return tuple(tags), problems


SURVIVORSHIP_RULES = ("most_recent", "most_frequent", "longest", "source_priority")


def check_survivorship(config: PipelineConfig) -> list[str]:
    """Problems with the survivorship rules (empty list when they can be used)."""
    rules = config.survivorship
    if not isinstance(rules, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in rules.items()):
        return ['survivorship: expected a table of "field" = "rule"']
    problems = [f"survivorship: {f} = {r!r} is not a rule (rules: {', '.join(SURVIVORSHIP_RULES)})"
                for f, r in rules.items() if r not in SURVIVORSHIP_RULES]
    if "source_priority" in rules.values() and not config.source_priority:
        problems.append("survivorship uses source_priority but source_priority lists no file or sheet patterns")
    return problems


def load_config(path: Path | None) -> PipelineConfig:
    """Read ``sheetkit.toml``; every unknown key or bad value is reported in one message.

    Raises:
        ConfigError: the file cannot be read or has problems.
    """
    if path is None:
        return PipelineConfig()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from exc
    known = {f.name: f for f in fields(PipelineConfig)}
    defaults = PipelineConfig()
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            problems.append(f"unknown setting {key!r} (known: {', '.join(sorted(known))})")
            continue
        if key == "value_tiers":
            try:
                values[key] = tuple(ValueTier(**tier) for tier in value)
            except TypeError as exc:
                problems.append(f"value_tiers: each tier needs name and min_amount ({exc})")
            continue
        if key == "tags":
            values[key], found = read_tags(value)
            problems += found
            continue
        if key == "source_priority":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                values[key] = tuple(value)
            else:
                problems.append('source_priority: expected a list of file or sheet name patterns, like ["CRM*"]')
            continue
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            problems.append(f"{key}: expected {expected.__name__}, got {value!r}")
            continue
        values[key] = value
    config = defaults.replace(**values)
    problems += check_region(config.default_region)
    for key in ("pool_after_days", "verify_after_days"):
        if getattr(config, key) < 1:
            problems.append(f"{key}: expected a number of days, 1 or more, got {getattr(config, key)}")
    if config.keep_runs < 0:
        problems.append(f"keep_runs: expected 0 (keep no copies in history/) or more, got {config.keep_runs}")
    if config.threads < 0:
        problems.append(f"threads: expected 0 (one per core) or more, got {config.threads}")
    if config.review_threshold > config.merge_threshold:
        problems.append(f"review_threshold ({config.review_threshold}) is above merge_threshold "
                        f"({config.merge_threshold}): pairs between them could never be reviewed")
    if not isinstance(config.header_overrides, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in config.header_overrides.items()):
        problems.append('header_overrides: expected a table of "header" = "field"')
    problems += check_survivorship(config)
    if config.lang not in ("", "zh", "en", "both"):
        problems.append(f"lang: expected zh, en or both, got {config.lang!r}")
    if config.password_file and not Path(config.password_file).is_absolute():  # beside the config, not the cwd
        config = config.replace(password_file=str(Path(path).parent / config.password_file))
    if problems:
        raise ConfigError(f"config {path} has problems:\n  " + "\n  ".join(problems))
    return config
