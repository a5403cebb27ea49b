"""parallel.ordered_map: results in input order, from forked workers, and a build that is the same byte for
byte whether it runs in one process or several."""
from __future__ import annotations

import os

import pytest

from briefing import parallel
from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.pipeline import build_site

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked on Linux only")


def _square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


@needs_fork
def test_results_come_back_in_input_order_from_other_processes():
    items = list(range(500))
    results = list(parallel.ordered_map(_square_with_pid, items, jobs=2))
    assert [square for square, _ in results] == [number * number for number in items]
    workers = {pid for _, pid in results}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2  # a busy machine may start one late


def test_small_inputs_and_one_job_run_in_this_process():
    few = list(parallel.ordered_map(_square_with_pid, list(range(parallel.MIN_ITEMS - 1)), jobs=2))
    one_job = list(parallel.ordered_map(_square_with_pid, list(range(500)), jobs=1))
    assert {pid for _, pid in few + one_job} == {os.getpid()}


def _fail_on_seven(number: int) -> int:
    if number == 7 * 13:
        raise ValueError(f"item {number}")
    return number


@needs_fork
def test_a_worker_error_reaches_the_caller():
    with pytest.raises(ValueError, match="item 91"):
        list(parallel.ordered_map(_fail_on_seven, list(range(300)), jobs=2))


def test_jobs_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("BRIEFING_JOBS", "3")
    assert parallel.default_jobs() == 3
    monkeypatch.setenv("BRIEFING_JOBS", "zero")
    assert 1 <= parallel.default_jobs() <= parallel.MAX_JOBS


@needs_fork
def test_a_build_in_worker_processes_equals_a_build_in_one(site_project, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # the example projects are small: fork anyway
    built = {}
    for jobs in (1, 2):
        report = Diagnostics()
        site = build_site(load_config(site_project, None, report), report, jobs=jobs)
        built[jobs] = ({page.path: page.content for page in site.pages}, [str(item) for item in report.sorted()])
    assert built[1] == built[2]
    assert len(built[1][0]) > 20
