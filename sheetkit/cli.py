"""The sheetkit command line: parse options, call the library, report on stderr.

Exit codes: 0 done; 1 the run could not be done (the message says why); 2 a usage
mistake; 3 done, but ``--fail-on`` found issues of that severity; 130 interrupted
(Ctrl-C), the shell's code for SIGINT, with no output half-written.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pandas as pd

from . import interrupt
from .config import check_region, load_config
from .crmprofile import CRMS, bundled_profile, load_profile
from .export import build_export, needed_columns, read_customers, read_owners, write_export
from .errors import SheetkitError
from .history import PreviousRun, default_previous, read_archived, read_previous
from .memory import arrow_pool, release, small_pages
from .lock import FolderBusyError, folder_lock, holder_info
from .outputset import check_not_foreign, tidy
from .runlog import log_lines, run_info
from .infer import infer_schema_text
from .issues import count_by_severity
from .lang import LANGS, Messages, Text, load_messages, report_lang, resolve_lang
from .output import (
    check_json,
    output_folder,
    result_json,
    write_issues_csv,
    write_outputs,
    write_text_atomic,
)
from .outread import read_output_sheets
from .parallel import beside
from .pipeline import check_sheets, read_sources, run_pipeline
from .preflight import count_codes
from .resources import default_schema_path
from .roles import load_roles
from .schema import load_schema
from .share import SHARE_LOG, build_share, log_shared, share_key, wanted_sheets, write_share
from .sources import COPIES_MARKER, find_sources
from .terminal import LiveLine, Voice, issue_lines, make_streams_safe

EXIT_FAIL_ON = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells and scripts expect from Ctrl-C
_SPOKEN = "sheetkit.messages"  # ctx.meta key: the command's language, for the group's Ctrl-C line


def _as_of(value: str | None) -> pd.Timestamp:
    if value is None:
        return pd.Timestamp(dt.date.today())
    try:
        return pd.Timestamp(dt.date.fromisoformat(value))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2024-12-31", param_hint="--as-of") from None


def _setup(config_path: Path | None, schema_path: Path | None, region: str | None, verbose: bool, quiet: bool):
    """Logging, config and schema, shared by the commands; raises SheetkitError or BadParameter."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    config = load_config(config_path).replace(default_region=region.upper() if region else None)
    if problems := check_region(config.default_region):
        raise click.BadParameter(problems[0], param_hint="--region")
    return config, load_schema(schema_path or default_schema_path())


def _lang_option(what: str):
    """--lang, the same on every command (a bad value is click's usage error, exit 2)."""
    return click.option("--lang", type=click.Choice(LANGS, case_sensitive=False),
                        help=f"Language of {what}: en, zh, or both side by side [default: lang in the config, "
                             "else SHEETKIT_LANG, else zh if LC_ALL/LANG starts with zh, else en].")


def _voice(lang: str | None, configured: str | None = None, quiet: bool = False,
           live: LiveLine | None = None) -> Voice:
    """The terminal's language (--lang, config, SHEETKIT_LANG, locale), kept for the group's
    Ctrl-C line; called again once the config is read."""
    try:
        messages = load_messages(resolve_lang(lang, configured))
    except SheetkitError as exc:  # a bad SHEETKIT_LANG, or an install without its catalogue
        try:
            english = load_messages("en")
        except SheetkitError:  # nothing to say it with: the reason alone, not a traceback
            raise click.ClickException(str(exc)) from exc
        raise _Failure(str(exc), english) from exc
    click.get_current_context().meta[_SPOKEN] = messages
    return Voice(messages, quiet, live)


def _spoken() -> Messages:
    """The language this command speaks (English before it is known)."""
    return click.get_current_context().meta.get(_SPOKEN) or load_messages("en")


class _Failure(click.ClickException):
    """A problem that stops the command (exit 1), said as one line per language with
    "Error:" in the reader's language; ``key`` is a catalogue text, else ``message`` is shown."""

    def __init__(self, message: str, messages: Messages, key: str = "", **values: object) -> None:
        super().__init__(messages(key, **values) if key else message)
        self.messages, self.key, self.values = messages, key, values

    def show(self, file=None) -> None:
        for lang in ("zh", "en") if self.messages.lang == "both" else (self.messages.lang,):
            say = self.messages.only(lang)
            text = say(self.key, **self.values) if self.key else say.said(self.format_message())
            click.echo(say("cli.error", message=text), file=file, err=file is None)


def _holder(out_dir: Path) -> Text:
    """Who holds the lock of ``out_dir``, in the reader's words (lock.holder says it in English)."""
    info = holder_info(out_dir)
    if info is None:
        return Text("lock.someone")
    return Text("lock.holder", {k: info.get(k, "?") for k in ("command", "pid", "host", "user", "started")})


@contextmanager
def _locked(out_dir: Path, wait: bool, command: str, say) -> Iterator[None]:
    """``folder_lock``, its waiting and its busy folder said in the reader's language
    (``say``: the voice's say, or tell where -q does not apply)."""
    try:
        with folder_lock(out_dir, wait, command,
                         on_wait=lambda _: say("lock.waiting", who=_holder(out_dir), folder=out_dir)):
            yield
    except FolderBusyError as exc:
        raise _Failure(str(exc), _spoken(), "lock.busy", folder=out_dir, who=_holder(out_dir)) from exc


def _input_options(command):
    """Options every command that reads customer sheets takes."""
    for option in reversed([
        click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A sheetkit.toml with thresholds and rules."),
        click.option("--schema", "schema_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A customer schema YAML (default: the bundled schemas/customer.yaml)."),
        click.option("--as-of", "as_of", metavar="DATE",
                     help="Reference date for segments, freshness and future dates [default: today]."),
        click.option("--region", help="Default phone region for numbers without a country code [default: CN]."),
        click.option("--password", help="Password for protected workbooks."),
        click.option("--fail-on", type=click.Choice(["error", "warning"]),
                     help="Exit with code 3 if any issue of this severity (or worse) was found."),
        click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON on stdout."),
        _lang_option("the messages on the terminal and of the report"),
        click.option("-v", "--verbose", is_flag=True, help="Log details on stderr."),
        click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors."),
    ]):
        command = option(command)
    return command


def _exit_code(fail_on: str | None, severity: dict[str, int]) -> int:
    if fail_on:
        levels = ["error"] if fail_on == "error" else ["error", "warning"]
        if any(severity[level] for level in levels):
            return EXIT_FAIL_ON
    return 0


def _exit_for(fail_on: str | None, severity: dict[str, int], voice: Voice) -> None:
    if code := _exit_code(fail_on, severity):
        count = severity["error"] + (severity["warning"] if fail_on == "warning" else 0)
        voice.tell("run.fail_on", count=count, level=Text(f"severity.{fail_on}"), option=fail_on)
        sys.exit(code)


def _read(paths: tuple[Path, ...], password: str | None, voice: Voice):
    """The files to read, read one at a time as the pipeline takes them; each that fails is
    reported as it does. Stops here if none can be read, before any work is done."""
    sources = read_sources(list(paths), password,
                           on_failed=lambda f: voice.tell("read.failed", file=f["file"],
                                                          message=voice.messages.said(f["message"])),
                           on_read=lambda file, rows, secs: voice.step("open", rows, secs, file),
                           on_skipped=lambda f: voice.tell("read.skipped", file=f["file"],
                                                           message=voice.messages.said(f["message"])))
    if sources.to_read:
        voice.progress("progress.found", "found", files=sources.to_read)
    if not sources.readable():
        raise _Failure("", voice.messages, "read.none", paths=", ".join(str(p) for p in paths))
    return sources


class _Group(click.Group):
    """Ctrl-C exits 130, not click's 1 ("Aborted!"), which means the run could not be done.
    Outputs are written under temporary names and moved into place, so none is half-written."""

    def main(self, *args, **kwargs):
        make_streams_safe()  # a GBK console or file must not turn a "›" into a traceback
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        interrupt.install()
        try:
            return super().invoke(ctx)
        except Exception:
            if not interrupt.pressed():  # an error after Ctrl-C is the interruption, seen late
                raise
        except KeyboardInterrupt:
            pass
        messages = ctx.meta.get(_SPOKEN) or load_messages("en")  # a subcommand's ctx.meta is this one
        click.echo("", err=True)
        for line in messages.lines("run.interrupted"):
            click.echo(line, err=True)
        ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sheetkit")
def cli() -> None:
    """sheetkit: customer spreadsheets in, a clean customer archive (客户档案) out."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("sheetkit-output"), show_default=True, help="Folder for cleaned.xlsx and report.html.")
@click.option("--previous", "previous_path", type=click.Path(exists=True, path_type=Path),
              help="Last run's output (its folder, cleaned.xlsx or a decisions file): its customers keep "
                   "their IDs and the decisions made in it are applied [default: the output in OUT, if any].")
@click.option("--wait", is_flag=True, help="If another sheetkit is using OUT, wait for it rather than stop.")
@_input_options
def run(paths: tuple[Path, ...], out_dir: Path, config_path: Path | None, schema_path: Path | None,
        lang: str | None,
        as_of: str | None, region: str | None, password: str | None, previous_path: Path | None,
        fail_on: str | None, as_json: bool, verbose: bool, quiet: bool, wait: bool = False) -> None:
    """Clean, validate and deduplicate customer sheets into OUT/cleaned.xlsx and OUT/report.html.

    PATHS are workbooks (.xlsx .xlsm .xlsb .xls .ods .csv .tsv .txt) or folders
    of them. Input files are never modified. Run again into the same OUT next week:
    customers keep their IDs, the decisions filled in its Review, Lineage and
    Decisions sheets are applied and remembered, the run is recorded in
    OUT/archive.sqlite (see: sheetkit log OUT), and the old output is kept in
    OUT/history/. One sheetkit at a time writes into OUT.

    --lang chooses the language of what it prints and of the report (zh: 中文;
    both: the report side by side, each line in Chinese then in English). Without it,
    lang in the config, else SHEETKIT_LANG; the terminal then follows the system
    locale (LANG=zh_CN.UTF-8 is Chinese) and the report keeps both languages.

    Example: sheetkit run examples/shop --out shop-output --as-of 2024-12-31
    """
    reference = _as_of(as_of)
    started = time.perf_counter()
    live = LiveLine(wanted=not quiet)  # the long stages' progress, only where stderr is a terminal
    voice = _voice(lang, None, quiet, live)  # until the config says otherwise
    try:
        config, schema = _setup(config_path, schema_path, region, verbose, quiet)
        voice = _voice(lang, config.lang, quiet, live)
        config = config.replace(lang=report_lang(lang, config.lang))
        with output_folder(out_dir), _locked(out_dir, wait, "run", voice.say):  # a bad --out: said now, not after every stage
            for line in tidy(out_dir):
                voice.say("run.tidy", folder=out_dir, text=voice.messages.said(line))
            check_not_foreign(out_dir)
            info = run_info(paths, config, schema_path or default_schema_path())
            today, user = dt.date.today().isoformat(), info.user
            if previous_path:
                previous = (read_archived(previous_path, today, user) if previous_path.is_dir() else None) \
                    or read_previous(previous_path)
                if previous is not None:
                    previous.decided_on, previous.decided_by = today, user
            else:  # read on a thread beside the sheets, taken when the records are identified
                previous = _archived_beside(out_dir, today, user, voice)
            sources = _read(paths, password, voice)
            result = run_pipeline(sources.take_grids(), schema, config, reference, sources.files,
                                  progress=voice.step, previous=previous, tick=voice.tick)
            previous = previous() if callable(previous) else previous
            info.duration_s = time.perf_counter() - started
            info.exit_status = _exit_code(fail_on, count_by_severity(result.issues))
            written = write_outputs(result, out_dir, keep_history=True, progress=voice.step,
                                    tick=voice.tick, run_info=info, keep_runs=config.keep_runs)
    except SheetkitError as exc:
        raise _Failure(str(exc), voice.messages) from exc
    finally:
        live.clear()  # before click prints an error
    outcome = result.lineage["outcome"].value_counts()
    severity = count_by_severity(result.issues)
    voice.say("run.summary", rows=len(result.lineage), customers=len(result.customers),
              merged=int(outcome.get("merged", 0)), review=len(result.review),
              rejected=int(outcome.get("rejected", 0)), skipped=int(outcome.get("skipped", 0)),
              transactions=len(result.transactions))
    voice.say("run.issues", errors=severity["error"], warnings=severity["warning"])
    for problem in previous.problems if previous is not None else []:
        voice.tell("run.warning", text=voice.messages.said(problem))
    if result.previous is not None:
        for cell in result.previous["unread"]:
            voice.tell("run.unread_decision", cell=cell)
        applied = int(result.decisions["applied"].eq("yes").sum())
        changes = result.id_changes["change"].value_counts()
        voice.say("run.previous", path=result.previous["path"], applied=applied,
                  not_applied=Text("run.not_applied", {"n": len(result.decisions) - applied})
                  if applied < len(result.decisions) else "",
                  merged=int(changes.get("merged into", 0)), split=int(changes.get("split off", 0)))
    voice.say("run.wrote", workbook=written["workbook"], report=written["report"])
    if as_json:
        click.echo(result_json(result))
    _exit_for(fail_on, severity, voice)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_input_options
@click.option("--issues", "issues_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every issue to this CSV file (UTF-8 with BOM, opens in Excel).")
def check(paths: tuple[Path, ...], config_path: Path | None, schema_path: Path | None, as_of: str | None,
          lang: str | None,
          region: str | None, password: str | None, fail_on: str | None, as_json: bool, verbose: bool,
          quiet: bool, issues_path: Path | None) -> None:
    """Validate customer sheets only: no dedupe, no workbook; a summary of the issues.

    Prints each issue code with its count and first example, so a script can act on
    the exit code (with --fail-on) and a person sees what to fix.

    Example: sheetkit check examples/shop --fail-on error
    """
    reference = _as_of(as_of)
    voice = _voice(lang, None, quiet)
    try:
        config, schema = _setup(config_path, schema_path, region, verbose, quiet)
        voice = _voice(lang, config.lang, quiet)
        if issues_path and issues_path.resolve() in {s.path.resolve() for s in find_sources(list(paths))}:
            raise _Failure("", voice.messages, "check.issues_is_input", path=issues_path)
        sources = _read(paths, password, voice)
        result = check_sheets(sources.take_grids(), schema, config, reference, sources.files)
        if issues_path:
            write_issues_csv(result.issues, issues_path)
    except SheetkitError as exc:
        raise _Failure(str(exc), voice.messages) from exc
    severity = count_by_severity(result.issues)
    if as_json:
        click.echo(check_json(result))
    elif not quiet:
        for line in voice.messages.lines("check.summary", rows=result.rows, rejected=result.rejected,
                                         errors=severity["error"], warnings=severity["warning"]):
            click.echo(line)
        for line in issue_lines(result.issues, voice.messages):
            click.echo(line)
    _exit_for(fail_on, severity, voice)


@cli.command("log")
@click.argument("out_dir", metavar="OUT", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--wait", is_flag=True, help="If a run is writing into OUT, wait for it rather than stop.")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON lines on stdout.")
@_lang_option("the headings and messages")
def log_runs(out_dir: Path, wait: bool, as_json: bool, lang: str | None = None) -> None:
    """List the runs recorded in OUT/archive.sqlite: date, user, inputs, counts, health score.

    A run that was interrupted is finished or undone first, so the list and the folder agree.

    Example: sheetkit log shop-output
    """
    voice = _voice(lang)
    try:
        with _locked(out_dir, wait, "log", voice.tell):
            for line in tidy(out_dir):
                voice.tell("run.tidy", folder=out_dir, text=voice.messages.said(line))
            lines = log_lines(out_dir, as_json, voice.messages)
    except SheetkitError as exc:
        raise _Failure(str(exc), voice.messages) from exc
    if not lines:
        raise _Failure("", voice.messages, "log.none", folder=out_dir)
    for line in lines:
        click.echo(line)


@cli.group()
def schema() -> None:
    """Work with customer schemas."""


@schema.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sheet", help="The sheet to read [default: the first sheet with a header row].")
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file [default: print it].")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@click.option("--password", help="Password for a protected workbook.")
def infer(workbook: Path, sheet: str | None, out_path: Path | None, force: bool, password: str | None) -> None:
    """Write a starting schema for WORKBOOK's columns, for you to edit.

    Known headers keep the bundled schema's field; other columns get a name from the
    header and a kind guessed from their values.

    Example: sheetkit schema infer 会员名单.xlsx -o members.yaml
    """
    voice = _voice(None)  # no --lang: SHEETKIT_LANG, else the system locale
    try:
        config, base = _setup(None, None, None, False, True)
        text = infer_schema_text(workbook, base, config, sheet, password)
        if out_path is None:
            click.echo(text, nl=False)
            return
        if out_path.exists() and not force:
            raise _Failure("", voice.messages, "infer.exists", path=out_path)
        write_text_atomic(out_path, text)
    except SheetkitError as exc:
        raise _Failure(str(exc), voice.messages) from exc
    voice.tell("infer.wrote", path=out_path)


def _messages(lang: str | None, config_path: Path | None):
    """The config and the catalogue in the language asked for (--lang, config, SHEETKIT_LANG, locale)."""
    _voice(lang)  # the config's own errors in --lang or the environment's language
    config = load_config(config_path)
    return config, _voice(lang, config.lang).messages


def _mark_copies(folder: Path) -> None:
    """Mark a folder of export or shared files, so a run over a folder holding it skips them."""
    marker = folder / COPIES_MARKER
    if not marker.exists():
        write_text_atomic(marker, "Written by sheetkit export/share: CRM import files and shared copies.\n")


@cli.command()
@click.argument("out", type=click.Path(exists=True, path_type=Path))
@click.option("--crm", type=click.Choice(CRMS), help="The CRM to import into (its bundled profile).")
@click.option("--profile", "profile_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A profile YAML of your own (a copy of a bundled one), instead of --crm's.")
@click.option("-o", "--output", "dest", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the import files and preflight.csv [default: OUT/export-CRM].")
@click.option("--owners", "owners_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The CRM's users (CSV with name and email/id columns, or one name a line): "
                   "owners not in it are preflight problems.")
@click.option("--fail-on", type=click.Choice(["error"]),
              help="Exit with code 3 if the importer would refuse any row.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A sheetkit.toml (lang, default_region).")
@_lang_option("the messages and preflight.csv")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def export(out: Path, crm: str | None, profile_path: Path | None, dest: Path | None, owners_path: Path | None,
           fail_on: str | None, config_path: Path | None, lang: str | None, quiet: bool) -> None:
    """Write CRM import files (and preflight.csv) from the output folder OUT.

    Contacts and companies (accounts) as the CRM imports them, one contact per
    customer with its customer_id as the external ID; preflight.csv lists every row
    the importer would refuse, with the CRM's own error code.

    Example: sheetkit export shop-output --crm hubspot --owners owners.csv
    """
    try:
        if not crm and not profile_path:
            raise click.UsageError("give --crm NAME (hubspot, salesforce, zoho, fxiaoke) or --profile FILE")
        config, messages = _messages(lang, config_path)
        say = Voice(messages, quiet).say  # in "both", a line in Chinese then one in English
        profile = load_profile(profile_path or bundled_profile(crm))
        owners = read_owners(owners_path) if owners_path else None
        customers = read_customers(out, needed_columns(profile))
        result = build_export(customers, profile, messages, owners, config.default_region)
        dest = dest or (out if out.is_dir() else out.parent) / f"export-{crm or profile.crm}"
        with output_folder(dest):
            written = write_export(result, dest)
            _mark_copies(dest)
    except SheetkitError as exc:
        raise _Failure(str(exc), _spoken()) from exc
    for column in result.missing_sources:
        say("export.missing_source", column=column)
    for obj in profile.objects:
        names = [p.name for p in written if p.name.startswith(obj.file + ".") or p.name.startswith(obj.file + "-")]
        say("export.object", object=obj.name, rows=len(result.frames[obj.name]), names=", ".join(names))
    say("export.wrote", files=len(written), folder=dest)
    if any(c.format == "date" for o in profile.objects for c in o.columns):
        say("export.dates", form=profile.date_format.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD"))
    rejected = result.rejected_rows()
    if result.preflight.empty:
        say("export.clean", crm=profile.title)
    else:
        say("export.problems", problems=len(result.preflight), rows=rejected, crm=profile.title,
            path=dest / "preflight.csv")
        for row in count_codes(result.preflight).head(20).itertuples(index=False):
            say("export.code", count=row.count, code=row.code, column=row.column, file=row.file)
    if fail_on and not result.preflight.empty:
        sys.exit(EXIT_FAIL_ON)


@cli.command()
@click.argument("out", type=click.Path(exists=True, path_type=Path))
@click.option("--role", required=True, help="Who the workbook is for: a role in roles.yaml "
              "(bundled: manager, sales, frontdesk, analyst).")
@click.option("--owner", help="Only this owner's customers (a salesperson's own list).")
@click.option("--password", envvar="SHEETKIT_SHARE_PASSWORD", show_envvar=True,
              help="Encrypt the workbook with this password [default: password_file in the config].")
@click.option("-o", "--output", "dest", type=click.Path(dir_okay=False, path_type=Path),
              help="The workbook to write; its report is written beside it (.html) "
                   "[default: OUT/shared/ROLE.xlsx, or ROLE-OWNER.xlsx].")
@click.option("--roles", "roles_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A roles YAML of your own (a copy of the bundled profiles/roles.yaml).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A sheetkit.toml (lang, password_file).")
@_lang_option("headers, sheet names, report and messages")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def share(out: Path, role: str, owner: str | None, password: str | None, dest: Path | None, roles_path: Path | None,
          config_path: Path | None, lang: str | None, quiet: bool) -> None:
    """Write a workbook and a report for one audience from the output folder OUT.

    The role says which sheets, columns and rows it sees, and how each column is
    masked; only those reach its files. Each file written is logged in OUT's archive
    (table shares) and OUT/shared.log.

    Example: sheetkit share shop-output --role sales --owner 张丽 --password 2024-Q4
    """
    try:
        config, messages = _messages(lang, config_path)
        say = Voice(messages, quiet).say  # in "both", a line in Chinese then one in English
        roles = load_roles(roles_path)
        if role not in roles:
            raise click.BadParameter(f"{role!r} is not a role in {roles_path or 'the bundled roles.yaml'} "
                                     f"(roles: {', '.join(roles)})", param_hint="--role")
        if not password and config.password_file:
            password = _read_password(Path(config.password_file))
        folder = out if out.is_dir() else out.parent
        the_role = roles[role]
        tables = read_output_sheets(out, wanted_sheets(the_role))
        shared = build_share(tables, the_role, owner, share_key(folder))
        if dest is None:
            dest = folder / "shared" / (f"{role}-{_safe_name(owner)}.xlsx" if owner else f"{role}.xlsx")
            with output_folder(dest.parent):
                _mark_copies(dest.parent)
        entry = write_share(shared, dest, messages, password)
        log = folder / SHARE_LOG
        log_shared(log, entry)
    except SheetkitError as exc:
        raise _Failure(str(exc), _spoken()) from exc
    if owner and not shared.customers:
        say("share.no_rows", owner=owner)
    columns = sum(len(f.columns) for f in shared.sheets.values())
    say("share.wrote", workbook=dest, report=dest.with_suffix(".html"), role=role, rows=shared.customers,
        columns=columns, encrypted=Text("share.encrypted") if password else "")
    if not password:
        say("share.not_encrypted")
    say("share.logged", log=log)


def _read_password(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SheetkitError(f"cannot read password_file {path}: {exc}") from exc
    if not lines or not lines[0].strip():
        raise SheetkitError(f"password_file {path} is empty; its first line is the password")
    return lines[0].strip()


def _safe_name(text: str) -> str:
    """A name usable in a file name on every system (no / \\ : * ? " < > |)."""
    return "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in text).strip(". ") or "owner"


def _archived_beside(out_dir: Path, today: str, user: str, voice: Voice):
    """A function giving the previous run (``read_archived``, else an output of a version
    without the archive), read on a thread started now: SQLite lets go of the GIL while it
    reads, so last week's million records come while the sheets are opened (4 s at 1M rows).
    Its errors are raised, and its progress line said, when the function is called."""
    def read() -> tuple[PreviousRun | None, float]:
        clock = time.perf_counter()
        run = read_archived(out_dir, today, user)
        release()  # the archive's texts, split and let go
        return run, time.perf_counter() - clock

    future = beside(read, "archive")
    taken: list[PreviousRun | None] = []

    def previous() -> PreviousRun | None:
        if not taken:
            run, seconds = future.result()
            if run is not None:
                voice.step("previous", len(run.lineage), seconds, voice.messages("progress.from_archive"))
            elif older := default_previous(out_dir):
                run = read_previous(older)  # an output of a version without the archive
            if run is not None:
                run.decided_on, run.decided_by = today, user
            taken.append(run)
        return taken[0]
    return previous


def main() -> None:
    """The ``sheetkit`` command. After Ctrl-C the process ends at once with 130: left to the
    interpreter, a KeyboardInterrupt that passed through the import machinery on its way
    makes it end by SIGINT instead (-2 to a script that started it), and the worker threads
    of a stage still running would be waited for."""
    arrow_pool()
    small_pages()
    try:
        cli(prog_name="sheetkit")
    except SystemExit as exc:
        if exc.code != EXIT_INTERRUPTED:
            raise
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(EXIT_INTERRUPTED)
