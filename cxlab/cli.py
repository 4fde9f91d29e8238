"""The ``cxlab`` command line. Every CxlabError becomes one clear line on stderr and exit code 1."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from . import __version__
from .errors import CxlabError
from .i18n import available_languages


class _Group(click.Group):
    """A click group that turns CxlabError into a one-line message instead of a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CxlabError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cxlab")
def main() -> None:
    """cxlab: customer-experience diagnosis from a client's raw exports to a client report."""


@main.command("demo-data")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--customers", default=600, show_default=True, help="Number of customers.")
@click.option("--cases", default=4000, show_default=True, help="Number of cases in the event log.")
@click.option("--seed", default=7, show_default=True, help="Random seed (same seed, same files).")
@click.option("--language", type=click.Choice(["it", "en"]), default="it", show_default=True)
@click.option("--force", is_flag=True, help="Replace DIRECTORY if it exists.")
def demo_data(directory: Path, customers: int, cases: int, seed: int, language: str, force: bool) -> None:
    """Write the demo client (a fictional Italian B2B distributor) to DIRECTORY."""
    from .demo import generate_demo_client

    if directory.exists() and any(directory.iterdir()):
        if not force:
            raise click.UsageError(f"{directory} exists and is not empty (use --force to replace it)")
        shutil.rmtree(directory)
    path = generate_demo_client(directory, customers=customers, cases=cases, seed=seed, language=language)
    click.echo(f"demo client written to {path}")


@main.command()
@click.argument("name", type=click.Path(file_okay=False, path_type=Path))
@click.option("--from-demo", is_flag=True, help="Fill the folder with the demo client's data.")
@click.option("--language", type=click.Choice(["it", "en"]), default="it", show_default=True)
def new(name: Path, from_demo: bool, language: str) -> None:
    """Scaffold an engagement folder NAME: client.yaml, data/, notebooks/, recommendations.yaml."""
    from .scaffold import new_engagement

    folder = new_engagement(name, language=language, from_demo=from_demo)
    click.echo(
        f"engagement created in {folder}: put the client's files in {folder / 'data'} "
        f"and map them in {folder / 'client.yaml'}"
    )


@main.command()
@click.argument("client_dir", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on the first unusable row instead of dropping it.")
def validate(client_dir: Path, strict: bool) -> None:
    """Load CLIENT_DIR, print a data-quality summary per table; exit 1 if the data is not usable."""
    from rich.console import Console
    from rich.table import Table

    from .io import load_client

    client = load_client(client_dir, strict=strict)
    console = Console(width=120)
    console.print(f"[bold]{client.name}[/bold]  ({client.language}, {client.config.currency})")
    table = Table("table", "file", "rows read", "rows kept", "dropped", "blanked", "columns mapped")
    for _, row in client.quality.summary().iterrows():
        table.add_row(
            row["table"],
            row["file"],
            f"{row['rows_read']:,}",
            f"{row['rows_kept']:,}",
            f"{row['rows_dropped']:,}",
            f"{row['values_blanked']:,}",
            str(row["columns_mapped"]),
        )
    console.print(table)
    events = client.events
    if events is not None:
        console.print(
            f"events: {events['case_id'].nunique():,} cases, {len(events):,} events, "
            f"{events['department'].nunique()} departments"
        )
    for issue in client.quality.issues:
        console.print(f"  [yellow]{issue.table}[/yellow]: {issue.describe()}", highlight=False)
    for note in client.quality.notes:
        console.print(f"  note: {note}", highlight=False)
    console.print("[green]usable[/green]")


@main.command()
@click.argument("client_dir", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Output folder: report.html and the executed notebooks (kept for audit).",
)
@click.option(
    "--lang",
    type=click.Choice(available_languages()),
    default=None,
    help="Report language (default: the language in client.yaml).",
)
@click.option(
    "--static-charts",
    is_flag=True,
    help="Draw charts as static SVG (for e-mail bodies and archives) instead of interactive.",
)
@click.option(
    "--worked-examples",
    is_flag=True,
    help="Also run the diagnosis-step notebooks into OUT/notebooks (trainees' worked examples).",
)
@click.option("--cell-timeout", default=600, show_default=True, help="Seconds allowed per notebook cell.")
def report(
    client_dir: Path,
    out: Path,
    lang: str | None,
    static_charts: bool,
    worked_examples: bool,
    cell_timeout: int,
) -> None:
    """Validate CLIENT_DIR, run the report templates and write OUT/report.html (self-contained)."""
    from .report.kernel import WarmKernel

    kernel = WarmKernel()
    if (Path(client_dir) / "client.yaml").is_file():
        kernel.start()  # boots and imports cxlab while this process loads and validates the client
    try:
        from .report.run import build_report

        result = build_report(
            client_dir,
            out,
            lang=lang or "",
            static_charts=static_charts,
            worked_examples=worked_examples,
            cell_timeout=cell_timeout,
            kernel=kernel,
        )
    finally:
        kernel.shutdown()
    click.echo(f"report written to {result.html} ({result.size_bytes / 1e6:.1f} MB, {result.seconds:.1f} s)")
    if result.unreviewed:
        click.secho(
            f"note: {result.unreviewed} recommendation(s) not reviewed yet are in the report as proposals; "
            "review them (recommendations.yaml or the RecommendationReview widget) before sending",
            fg="yellow",
            err=True,
        )
    elif result.pending:
        click.secho(
            f"note: {result.pending} proposed recommendation(s) await review and are not in the report "
            "(accept them in recommendations.yaml or the RecommendationReview widget)",
            fg="yellow",
            err=True,
        )


@main.command()
@click.argument("root", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Output folder: OUT/<client>/report.html (+ executed notebook) per client and OUT/index.html.",
)
@click.option(
    "--jobs", "-j", default=1, show_default=True, help="Worker processes (each keeps a warm kernel)."
)
@click.option("--force", is_flag=True, help="Rerun every client, also those whose inputs did not change.")
@click.option(
    "--lang",
    type=click.Choice(available_languages()),
    default=None,
    help="Report language for every client (default: each client's language in client.yaml).",
)
@click.option("--static-charts", is_flag=True, help="Draw charts as static SVG instead of interactive.")
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run on an existing Dask cluster (e.g. tcp://host:8786; needs cxlab[dask]) instead of local workers.",
)
@click.option(
    "--recycle-after", default=10, show_default=True, help="Restart a worker's kernel after N clients."
)
@click.option("--cell-timeout", default=600, show_default=True, help="Seconds allowed per notebook cell.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
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
    quiet: bool,
) -> None:
    """The client report of every client folder (a folder with a client.yaml) under ROOT, searched
    recursively, into OUT, with OUT/index.html linking them all. Unchanged clients are skipped (content
    hash) unless --force; one failing client never stops the others; exit code 1 if any failed."""
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
        progress=not quiet,
    )
    for outcome in result.failed:
        click.secho(f"failed: {outcome.name}: {outcome.error}", fg="red", err=True)
    click.echo(
        f"{len(result.clients)} clients: {len(result.ok)} ok, {len(result.skipped)} skipped (unchanged), "
        f"{len(result.failed)} failed; wall time {result.seconds:.1f} s; index: {result.index}"
    )
    unreviewed = [c.name for c in result.clients if c.unreviewed]
    if unreviewed:
        click.secho(
            f"note: {len(unreviewed)} report(s) hold recommendations not reviewed yet (as proposals): "
            + ", ".join(unreviewed[:5])
            + (" ..." if len(unreviewed) > 5 else ""),
            fg="yellow",
            err=True,
        )
    sys.exit(result.exit_code)


if __name__ == "__main__":
    main()
