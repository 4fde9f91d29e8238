"""The ``cxlab`` command line. Every CxlabError becomes one clear line on stderr and exit code 1.

Its own words go through the message catalogs (``cli.po``) in the user's language, read from the
environment as gettext does (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); the messages of errors stay English.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .errors import CxlabError
from .i18n import available_languages, format_number, gettext, pgettext
from .report.kernel import WarmKernel, skip_unused_iri_grammar
from .safety import ALLOW_OUTSIDE_ENV

# _LAZY: the commands import their heavy modules (pandas, nbformat, the report stack) when they run, not
# here: `cxlab report` starts its kernel first, and the kernel boots while this process imports what the
# report needs (importing them all here delayed the kernel by ~2 s)

_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def user_language() -> str:
    """The language of the command line's messages: the first locale variable set, in gettext's order,
    cut to its language ("it_IT.UTF-8" -> "it"); English for the C/POSIX locale or none. A language
    without a catalog reads as English."""
    for variable in _LOCALE_VARIABLES:
        value = os.environ.get(variable, "")
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].split("@")[0].lower()
            return "en" if code in ("c", "posix", "") else code
    return "en"


def _(message: str, /, **values: object) -> str:
    """``message`` in the user's language (read at each call, so a test may set the environment)."""
    return gettext(user_language(), message, **values)


#: the language of the help texts, fixed when the command line is built
_HELP_LANGUAGE = user_language()


def _help(message: str) -> str:
    return gettext(_HELP_LANGUAGE, message)


def _allow_outside(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:  # in the environment, so the report's kernel and the batch's workers inherit it
        os.environ[ALLOW_OUTSIDE_ENV] = "1"
    return value


#: client.yaml may name files outside the client folder only when the user says so
allow_outside_option = click.option(
    "--allow-outside-paths",
    is_flag=True,
    expose_value=False,
    callback=_allow_outside,
    help=_help("Let client.yaml name data files or a logo outside the client folder."),
)


def os_error_line(exc: OSError) -> str:
    """'report.html: no space left on device' — an OSError as one line."""
    where = exc.filename or ""
    what = (exc.strerror or str(exc) or type(exc).__name__).strip()
    what = what[:1].lower() + what[1:]
    return f"{where}: {what}" if where else what


class _Group(click.Group):
    """A click group that turns CxlabError into a one-line message instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CxlabError as exc:
            click.secho(_("error: {message}", message=exc), fg="red", err=True)
            sys.exit(1)
        except OSError as exc:
            # the environment: a full disk, an unwritable or missing output folder, no loopback for the
            # kernel. One line, no traceback (the files cxlab writes are atomic: nothing half written)
            click.secho(_("error: {message}", message=os_error_line(exc)), fg="red", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.secho(_("interrupted"), fg="red", err=True)
            sys.exit(130)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_help("cxlab: customer-experience diagnosis from a client's raw exports to a client report."),
)
@click.version_option(__version__, "--version", prog_name="cxlab")
def main() -> None:
    pass


@main.command(
    "demo-data", help=_help("Write the demo client (a fictional Italian B2B distributor) to DIRECTORY.")
)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--customers", default=600, show_default=True, help=_help("Number of customers."))
@click.option("--cases", default=4000, show_default=True, help=_help("Number of cases in the event log."))
@click.option("--seed", default=7, show_default=True, help=_help("Random seed (same seed, same files)."))
@click.option("--language", type=click.Choice(["it", "en"]), default="it", show_default=True)
@click.option("--force", is_flag=True, help=_help("Replace DIRECTORY if it exists."))
def demo_data(directory: Path, customers: int, cases: int, seed: int, language: str, force: bool) -> None:
    if directory.exists() and any(directory.iterdir()):
        if not force:
            raise click.UsageError(
                _("{directory} exists and is not empty (use --force to replace it)", directory=directory)
            )
        shutil.rmtree(directory)
    from .demo import generate_demo_client  # see _LAZY: pandas and the generator load only for this command

    path = generate_demo_client(directory, customers=customers, cases=cases, seed=seed, language=language)
    click.echo(_("demo client written to {path}", path=path))


@main.command(
    help=_help("Scaffold an engagement folder NAME: client.yaml, data/, notebooks/, recommendations.yaml.")
)
@click.argument("name", type=click.Path(file_okay=False, path_type=Path))
@click.option("--from-demo", is_flag=True, help=_help("Fill the folder with the demo client's data."))
@click.option("--language", type=click.Choice(["it", "en"]), default="it", show_default=True)
def new(name: Path, from_demo: bool, language: str) -> None:
    from .scaffold import new_engagement  # see _LAZY: nbformat (1.3 s to import) loads only for this command

    folder = new_engagement(name, language=language, from_demo=from_demo)
    click.echo(
        _(
            "engagement created in {folder}: put the client's files in {data} and map them in {config}",
            folder=folder,
            data=folder / "data",
            config=folder / "client.yaml",
        )
    )


@main.command(
    help=_help(
        "Load CLIENT_DIR, check client.yaml and the data, print a data-quality summary per table; "
        "exit 1 if the settings are invalid or the data is not usable."
    )
)
@click.argument("client_dir", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help=_help("Fail on the first unusable row instead of dropping it."))
@allow_outside_option
def validate(client_dir: Path, strict: bool) -> None:
    from .intake import load_client  # see _LAZY

    lang = user_language()
    console = Console(width=120)
    # a spinner on stderr names the table being read (a large file takes a while); client.yaml's
    # constraints are checked as it loads
    with Console(stderr=True).status("client.yaml") as status:
        client = load_client(
            client_dir,
            strict=strict,
            progress=lambda table, file: status.update(f"{escape(table)}: {escape(file)}"),
        )
    # client text is escaped wherever it reaches the terminal: a name holding "[/]" is not markup
    console.print(
        f"[bold]{escape(client.name)}[/bold]  ({escape(client.language)}, {escape(client.config.currency)})"
    )
    headers = ("table", "file", "rows read", "rows kept", "dropped", "blanked", "columns mapped")
    table = Table(*(pgettext(lang, "data-quality summary", h) for h in headers))
    for _index, row in client.quality.summary().iterrows():
        table.add_row(
            escape(str(row["table"])),
            escape(str(row["file"])),
            format_number(row["rows_read"], lang),
            format_number(row["rows_kept"], lang),
            format_number(row["rows_dropped"], lang),
            format_number(row["values_blanked"], lang),
            escape(str(row["columns_mapped"])),
        )
    console.print(table)
    events = client.events
    if events is not None:
        console.print(
            _(
                "events: {cases} cases, {events} events, {departments} departments",
                cases=format_number(events["case_id"].nunique(), lang),
                events=format_number(len(events), lang),
                departments=events["department"].nunique(),
            ),
            highlight=False,
        )
    for issue in client.quality.issues:
        console.print(
            f"  [yellow]{escape(issue.table)}[/yellow]: {escape(issue.describe())}", highlight=False
        )
    for note in client.quality.notes:
        console.print("  " + escape(_("note: {note}", note=note)), highlight=False)
    console.print(f"[green]{_('usable')}[/green]")


@main.command(
    help=_help("Validate CLIENT_DIR, run the report templates and write OUT/report.html (self-contained).")
)
@click.argument("client_dir", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help=_help("Output folder: report.html and the executed notebooks (kept for audit)."),
)
@click.option(
    "--lang",
    type=click.Choice(available_languages()),
    default=None,
    help=_help("Report language (default: the language in client.yaml)."),
)
@click.option(
    "--static-charts",
    is_flag=True,
    help=_help("Draw charts as static SVG (for e-mail bodies and archives) instead of interactive."),
)
@click.option(
    "--worked-examples",
    is_flag=True,
    help=_help("Also run the diagnosis-step notebooks into OUT/notebooks (trainees' worked examples)."),
)
@click.option(
    "--cell-timeout", default=600, show_default=True, help=_help("Seconds allowed per notebook cell.")
)
@click.option(
    "--client-timeout",
    default=3600,
    show_default=True,
    help=_help("Seconds allowed for one client's whole report (0: no limit)."),
)
@allow_outside_option
@click.option(
    "--pdf", "pdf", is_flag=True, help=_help("Also write OUT/report.pdf (A4, page numbers, no browser).")
)
@click.option(
    "--pptx", "pptx", is_flag=True, help=_help("Also write OUT/report.pptx (an editable PowerPoint deck).")
)
@click.option(
    "--final",
    is_flag=True,
    help=_help("Refuse to build while any recommendation is unreviewed (exit 1, with the count)."),
)
def report(
    client_dir: Path,
    out: Path,
    lang: str | None,
    static_charts: bool,
    worked_examples: bool,
    cell_timeout: int,
    client_timeout: int,
    final: bool = False,
    pdf: bool = False,
    pptx: bool = False,
) -> None:
    kernel = WarmKernel()
    if (Path(client_dir) / "client.yaml").is_file():
        kernel.start()  # boots and imports cxlab while this process loads and validates the client
    try:
        # imported here on purpose: the report stack (nbconvert, papermill, altair) takes seconds to
        # import, which overlaps the kernel's boot started above, and validate/new never pay for it
        skip_unused_iri_grammar()
        from .report.run import build_report

        result = build_report(
            client_dir,
            out,
            lang=lang or "",
            static_charts=static_charts,
            worked_examples=worked_examples,
            cell_timeout=cell_timeout,
            client_timeout=client_timeout,
            kernel=kernel,
            final=final,
            pdf=pdf,
            pptx=pptx,
        )
    finally:
        kernel.shutdown()
    click.echo(
        _(
            "report written to {path} ({megabytes} MB, {seconds} s)",
            path=result.html,
            megabytes=format_number(result.size_bytes / 1e6, user_language(), 1),
            seconds=format_number(result.seconds, user_language(), 1),
        )
    )
    for extra in (result.pdf, result.pptx):
        if extra is not None:
            click.echo(_("written: {path}", path=extra))
    if result.unreviewed:
        click.secho(
            _(
                "note: {count} recommendation(s) not reviewed yet are in the report as proposals; review them "
                "(recommendations.yaml or the RecommendationReview widget) before sending",
                count=result.unreviewed,
            ),
            fg="yellow",
            err=True,
        )
    elif result.pending:
        click.secho(
            _(
                "note: {count} proposed recommendation(s) await review and are not in the report "
                "(accept them in recommendations.yaml or the RecommendationReview widget)",
                count=result.pending,
            ),
            fg="yellow",
            err=True,
        )


@main.command(
    help=_help(
        "The client report of every client folder (a folder with a client.yaml) under ROOT, searched "
        "recursively, into OUT, with OUT/index.html linking them all. Unchanged clients are skipped "
        "(content hash) unless --force; one failing client never stops the others; exit code 1 if any failed."
    )
)
@click.argument("root", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help=_help(
        "Output folder: OUT/<client>/report.html (+ executed notebook) per client and OUT/index.html."
    ),
)
@click.option(
    "--jobs", "-j", default=1, show_default=True, help=_help("Worker processes (each keeps a warm kernel).")
)
@click.option(
    "--force", is_flag=True, help=_help("Rerun every client, also those whose inputs did not change.")
)
@click.option(
    "--lang",
    type=click.Choice(available_languages()),
    default=None,
    help=_help("Report language for every client (default: each client's language in client.yaml)."),
)
@click.option(
    "--static-charts", is_flag=True, help=_help("Draw charts as static SVG instead of interactive.")
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help=_help(
        "Run on an existing Dask cluster (e.g. tcp://host:8786; needs cxlab[dask]) instead of local workers."
    ),
)
@click.option(
    "--recycle-after", default=10, show_default=True, help=_help("Restart a worker's kernel after N clients.")
)
@click.option(
    "--cell-timeout", default=600, show_default=True, help=_help("Seconds allowed per notebook cell.")
)
@click.option(
    "--client-timeout",
    default=3600,
    show_default=True,
    help=_help("Seconds allowed for one client's whole report (0: no limit)."),
)
@click.option("--quiet", "-q", is_flag=True, help=_help("No progress bar."))
@allow_outside_option
def batch(
    root: Path,
    out: Path,
    jobs: int,
    force: bool,
    lang: str | None,
    static_charts: bool,
    scheduler: str | None,
    recycle_after: int,
    cell_timeout: int,
    client_timeout: int,
    quiet: bool,
) -> None:
    # imported here on purpose: the report stack takes seconds to import (see `report`)
    from .report.batch import run_batch

    result = run_batch(
        root,
        out,
        jobs=jobs,
        force=force,
        lang=lang or "",
        static_charts=static_charts,
        scheduler=scheduler,
        recycle_after=recycle_after,
        cell_timeout=cell_timeout,
        client_timeout=client_timeout,
        progress=not quiet,
    )
    for outcome in result.failed:
        click.secho(
            _("failed: {client}: {error}", client=outcome.name, error=outcome.error), fg="red", err=True
        )
    click.echo(
        _(
            "{clients} clients: {ok} ok, {skipped} skipped (unchanged), {failed} failed; "
            "wall time {seconds} s; index: {index}",
            clients=len(result.clients),
            ok=len(result.ok),
            skipped=len(result.skipped),
            failed=len(result.failed),
            seconds=format_number(result.seconds, user_language(), 1),
            index=result.index,
        )
    )
    unreviewed = [c.name for c in result.clients if c.unreviewed]
    if unreviewed:
        click.secho(
            _(
                "note: {count} report(s) hold recommendations not reviewed yet (as proposals): {clients}",
                count=len(unreviewed),
                clients=", ".join(unreviewed[:5]) + (" ..." if len(unreviewed) > 5 else ""),
            ),
            fg="yellow",
            err=True,
        )
    sys.exit(result.exit_code)


if __name__ == "__main__":
    main()
