"""``cxlab batch``: many clients, warm kernels, skip-unchanged, the index, and the Dask scheduler.

The demo clients here are tiny (80 customers, 250 cases) so each report takes a few seconds.
"""

from __future__ import annotations

import difflib
import html
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxlab.cli import main
from cxlab.demo import generate_demo_client
from cxlab.errors import CxlabError
from cxlab.report import WarmKernel, build_report
from cxlab.report.batch import (
    FAILED,
    HASH_FILE,
    OK,
    SKIPPED,
    client_digest,
    environment_digest,
    find_clients,
    run_batch,
)

pytestmark = pytest.mark.slow

CUSTOMERS, CASES = 80, 250
#: a regular expression that does not compile: the client validates, then the comments cell fails
BROKEN_THEMES = 'text:\n  themes:\n    broken: ["(unclosed"]\n'


def demo(path: Path, seed: int, language: str, name: str | None = None) -> Path:
    return generate_demo_client(
        path, seed=seed, language=language, customers=CUSTOMERS, cases=CASES, name=name
    )


def normalised(report: Path) -> str:
    """The report without what depends on the day it was generated."""
    text = report.read_text(encoding="utf-8")
    return re.sub(r'<p class="cx-date">.*?</p>', '<p class="cx-date"></p>', text, flags=re.S)


def outcomes_by_name(result) -> dict:
    return {c.name: c for c in result.clients}


# ------------------------------------------------------------------ (a) six clients and a broken one
def test_batch_six_clients_and_a_broken_one(tmp_path: Path) -> None:
    root = tmp_path / "clients"
    for seed in range(1, 6):
        demo(root / f"client{seed}", seed, "it" if seed % 2 else "en")
    demo(root / "north" / "rossi", 6, "en", name="Rossi & <Figli> S.r.l.")  # nested, and escaped
    broken = demo(root / "broken", 7, "it")
    (broken / "client.yaml").write_text(
        (broken / "client.yaml").read_text(encoding="utf-8") + BROKEN_THEMES, encoding="utf-8"
    )
    out = tmp_path / "out"

    run = CliRunner().invoke(main, ["batch", str(root), "--out", str(out), "--jobs", "2"])

    assert run.exit_code == 1, run.output
    assert "7 clients: 6 ok, 0 skipped (unchanged), 1 failed" in run.output
    good = ["client1", "client2", "client3", "client4", "client5", "north/rossi"]
    for name in good:
        assert (out / name / "report.html").is_file(), name
        assert (out / name / "client_report.ipynb").is_file(), name
        assert (out / name / HASH_FILE).is_file(), name
    # a regex that does not compile is refused when client.yaml loads (issue 17), before any notebook runs
    assert not (out / "broken" / "client_report.ipynb").exists()
    assert not (out / "broken" / "report.html").exists()
    assert not (out / "broken" / HASH_FILE).exists()

    index = (out / "index.html").read_text(encoding="utf-8")
    assert "http://" not in index and "https://" not in index
    assert "<script" not in index
    for name in good:
        assert f'href="{name}/report.html"' in index
    assert 'href="broken/report.html"' not in index
    assert "Rossi &amp; &lt;Figli&gt; S.r.l." in index and "<Figli>" not in index
    summary = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    by_name = {c["name"]: c for c in summary["clients"]}
    failed = by_name["broken"]
    assert failed["status"] == FAILED
    assert "client.yaml" in failed["error"] and "text.themes.broken" in failed["error"]
    assert html.escape(failed["error"], quote=True) in index
    row = index[index.index('<div class="cx-folder">broken</div>') :].split("</tr>")[0]
    assert "cx-status-failed" in row
    # key figures and languages of the good ones
    for name in good:
        assert by_name[name]["status"] == OK
        assert by_name[name]["key_figures"], name
    assert by_name["client1"]["lang"] == "it" and by_name["client2"]["lang"] == "en"
    label, value = (
        by_name["client2"]["key_figures"][0]["label"],
        by_name["client2"]["key_figures"][0]["value"],
    )
    assert f"{html.escape(label)}: <b>{html.escape(value)}</b>" in index
    assert "failed: broken:" in run.output


# ------------------------------------------------------------ (b) skip unchanged, --force, changed data
def test_rerun_skips_unchanged_force_reruns_changed_data_reruns_that_client(tmp_path: Path) -> None:
    root = tmp_path / "clients"
    demo(root / "a", 11, "it")
    b = demo(root / "b", 12, "en")
    out = tmp_path / "out"

    first = run_batch(root, out, progress=False)
    assert [c.status for c in first.clients] == [OK, OK] and first.exit_code == 0
    mtimes = {n: (out / n / "report.html").stat().st_mtime_ns for n in ("a", "b")}

    again = run_batch(root, out, progress=False)
    assert [c.status for c in again.clients] == [SKIPPED, SKIPPED]
    assert {n: (out / n / "report.html").stat().st_mtime_ns for n in ("a", "b")} == mtimes
    for before, after in zip(first.clients, again.clients, strict=True):
        assert after.key_figures == before.key_figures and after.lang == before.lang
    assert "skipped (unchanged)" in (out / "index.html").read_text(encoding="utf-8")

    forced = run_batch(root, out, force=True, progress=False)
    assert [c.status for c in forced.clients] == [OK, OK]

    responses = b / "data" / "risposte.csv"  # the demo names its files in Italian
    lines = responses.read_text(encoding="utf-8").splitlines(keepends=True)
    responses.write_text("".join(lines[:-1]), encoding="utf-8")  # one row fewer
    changed = run_batch(root, out, progress=False)
    assert {c.name: c.status for c in changed.clients} == {"a": SKIPPED, "b": OK}


def test_content_hash_covers_inputs_and_parameters(tmp_path: Path) -> None:
    client = demo(tmp_path / "c", 3, "it")
    env = environment_digest()
    base = client_digest(client, env=env)
    assert client_digest(client, env=env) == base
    (client / "data").joinpath("README.md").write_text("not an input", encoding="utf-8")
    assert client_digest(client, env=env) == base  # a file client.yaml does not name
    assert client_digest(client, lang="en", env=env) != base
    assert client_digest(client, static_charts=True, env=env) != base
    assert client_digest(client, env="another cxlab") != base
    (client / "recommendations.yaml").write_text("decisions: []\n", encoding="utf-8")
    with_recs = client_digest(client, env=env)
    assert with_recs != base
    logo = client / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n fake")  # a logo must be an image by its bytes
    config = client / "client.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("branding:\n", "branding:\n  logo: logo.png\n"),
        encoding="utf-8",
    )
    with_logo = client_digest(client, env=env)
    assert with_logo != with_recs
    logo.write_bytes(b"\x89PNG\r\n\x1a\n another")
    assert client_digest(client, env=env) != with_logo


def test_invalid_client_fails_without_a_kernel_and_loses_its_old_report(tmp_path: Path) -> None:
    root = tmp_path / "clients"
    client = demo(root / "acme", 5, "it")
    stale = tmp_path / "out" / "acme"
    stale.mkdir(parents=True)
    (stale / "report.html").write_text("an old report", encoding="utf-8")
    (stale / HASH_FILE).write_text("{}", encoding="utf-8")
    config = client / "client.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "codice_cliente: customer_id", "codice_clientX: customer_id", 1
        ),
        encoding="utf-8",
    )
    result = run_batch(root, tmp_path / "out", progress=False)
    (outcome,) = result.clients
    assert outcome.status == FAILED and result.exit_code == 1
    assert outcome.error is not None
    assert "column 'codice_clientX'" in outcome.error and "\n" not in outcome.error
    assert not (stale / "report.html").exists() and not (stale / HASH_FILE).exists()
    assert outcome.seconds < 30  # validation fails before any kernel starts


def test_discovery_is_recursive_and_skips_the_output_and_hidden_folders(tmp_path: Path) -> None:
    for rel in ("a", "region/b", "region/deeper/c", ".hidden/d", "out/e", "a/nested/f"):
        (tmp_path / rel).mkdir(parents=True)
        (tmp_path / rel / "client.yaml").write_text("name: x\n", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in find_clients(tmp_path, exclude=[tmp_path / "out"])]
    assert found == ["a", "region/b", "region/deeper/c"]


def test_batch_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = CliRunner().invoke(main, ["batch", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    assert run.exit_code == 1
    assert "client.yaml" in run.output and "Traceback" not in run.output
    run = CliRunner().invoke(main, ["batch", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert run.exit_code == 1 and "no such folder" in run.output
    with pytest.raises(CxlabError, match="jobs"):
        run_batch(tmp_path / "empty", tmp_path / "out", jobs=0)


def test_scheduler_without_dask_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo(tmp_path / "clients" / "a", 1, "it")
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(CxlabError, match=r"cxlab\[dask\]"):
        run_batch(tmp_path / "clients", tmp_path / "out", scheduler="tcp://127.0.0.1:1", progress=False)


# ---------------------------------------------------- (c) a warm kernel leaks nothing between clients
def test_two_clients_in_one_warm_kernel_give_the_same_report_as_each_alone(tmp_path: Path) -> None:
    first = demo(tmp_path / "first", 21, "it")
    second = demo(tmp_path / "second", 22, "en")
    alone = build_report(second, tmp_path / "alone")  # its own fresh kernel

    with WarmKernel() as kernel:
        # the first client differs in language and chart renderer: nothing of it may reach the second
        build_report(first, tmp_path / "warm" / "first", static_charts=True, kernel=kernel)
        km = kernel.km
        warm = build_report(second, tmp_path / "warm" / "second", kernel=kernel)
        assert kernel.km is km and kernel.runs == 2  # really the same kernel

    assert warm.key_figures == alone.key_figures
    assert alone.html is not None and warm.html is not None
    a, b = normalised(alone.html), normalised(warm.html)
    if a != b:
        diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0))[:20]
        pytest.fail(
            "the warm-kernel report differs from the report alone:\n" + "\n".join(d[:300] for d in diff)
        )


# --------------------------------------------------------------------------- (d) a Dask LocalCluster
def test_dask_local_cluster_runs_the_batch(tmp_path: Path) -> None:
    distributed = pytest.importorskip(
        "distributed", reason="the optional Dask extra is not installed (pip install 'cxlab[dask]')"
    )
    root = tmp_path / "clients"
    demo(root / "a", 31, "it")
    demo(root / "b", 32, "en")
    bad = demo(root / "c", 33, "it")
    (bad / "client.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster:
        result = run_batch(root, out, scheduler=cluster.scheduler_address, progress=False)
        again = run_batch(root, out, scheduler=cluster.scheduler_address, progress=False)
    assert {c.name: c.status for c in result.clients} == {"a": OK, "b": OK, "c": FAILED}
    assert "valid YAML" in outcomes_by_name(result)["c"].error
    for name in ("a", "b"):
        assert (out / name / "report.html").is_file()
    assert {c.name: c.status for c in again.clients} == {"a": SKIPPED, "b": SKIPPED, "c": FAILED}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="a/report.html"' in index and 'href="b/report.html"' in index


def test_copying_a_client_folder_keeps_its_hash(tmp_path: Path) -> None:
    """The hash is about content, not paths or times: a copied client is 'unchanged'."""
    a = demo(tmp_path / "a", 41, "it")
    b = tmp_path / "b"
    shutil.copytree(a, b)
    env = environment_digest()
    assert client_digest(a, env=env) == client_digest(b, env=env)
