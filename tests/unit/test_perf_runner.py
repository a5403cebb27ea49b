"""bench/perf.py reads what `build --verbose`, run_peers.sh (summarize.py) and setup_peers.sh print."""
import importlib.util
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("bench_perf", Path(__file__).resolve().parents[2] / "bench" / "perf.py")
perf = sys.modules["bench_perf"] = importlib.util.module_from_spec(_SPEC)  # dataclasses look their module up
_SPEC.loader.exec_module(perf)

VERBOSE_BUILD = """\
  load          1.592 s
  annotate      6.751 s
  crosslink     1.790 s
  render       16.980 s
  links         3.420 s
  search       13.170 s
  write         2.730 s
Built 1000 documents, 200 actors, 1207 pages in 48.30 s -> /dev/shm/briefing-perf-x/site
"""

PEERS_TSV = (
    "peer\tN\tcold wall s\tcold cpu s\twarm wall s\tdirty wall s\thtml pages\tcheck\tpeak RSS MiB\tnon-zero exits\truns\n"
    "hugo\t10000\t6.10\t11.02\t5.90\t-\t11003\tok\t575.20\t0\t3\n"
    "mkdocs\t10000\t33.00\t33.50\t34.10\t0.70\t11002\tok\t410.00\t0\t3\n"
    "pelican\t1000\t2.60\t2.50\t1.90\t-\tNone\tMISMATCH (expected 1201)\t54.00\t1\t1\n"
)


def test_stage_lines_are_read_in_order_with_the_page_count():
    stages, pages = perf.parse_build_output(VERBOSE_BUILD)
    assert list(stages.items()) == [
        ("load", 1.592), ("annotate", 6.751), ("crosslink", 1.79), ("render", 16.98),
        ("links", 3.42), ("search", 13.17), ("write", 2.73),
    ]
    assert pages == 1207


@pytest.mark.parametrize("stdout, stages, pages", [
    ("  unchanged     0.600 s\nBuilt 1 document, 1 actor, 1 page in 0.62 s -> site\n", {"unchanged": 0.6}, 1),
    ("  data exports  12.000 s\n  feeds   5.250 s\n", {"data exports": 12.0, "feeds": 5.25}, None),
    ("  load  1.000 s\n  load  0.500 s\n", {"load": 1.5}, None),
    ("Built 3 documents, 2 actors, 9 pages in 0.10 s -> /tmp/a  1.000 s\n", {}, 9),
])
def test_any_stage_name_the_cli_prints_is_kept(stdout, stages, pages):
    assert perf.parse_build_output(stdout) == (stages, pages)


@pytest.mark.parametrize("stdout, files", [
    ("  write         0.130 s\n  files written 31 of 11007, 2 deleted\nBuilt 3 documents, 2 actors, 9 pages in 0.10 s -> a\n", (31, 11007, 2)),
    (VERBOSE_BUILD, None),
])
def test_files_written_line(stdout, files):
    assert perf.parse_files_written(stdout) == files
    assert "files written" not in perf.parse_build_output(stdout)[0]


def test_peer_table_rows_by_peer_and_size():
    table = perf.parse_peer_table(PEERS_TSV)
    assert table == {
        ("hugo", 10000): {"cold_s": 6.1, "cold_cpu_s": 11.02, "warm_s": 5.9, "dirty_s": None, "pages": 11003, "check": "ok",
                          "peak_mib": 575.2, "failed_runs": 0, "runs": 3},
        ("mkdocs", 10000): {"cold_s": 33.0, "cold_cpu_s": 33.5, "warm_s": 34.1, "dirty_s": 0.7, "pages": 11002, "check": "ok",
                            "peak_mib": 410.0, "failed_runs": 0, "runs": 3},
        ("pelican", 1000): {"cold_s": 2.6, "cold_cpu_s": 2.5, "warm_s": 1.9, "dirty_s": None, "pages": None,
                            "check": "MISMATCH (expected 1201)", "peak_mib": 54.0, "failed_runs": 1, "runs": 1},
    }
    assert perf.parse_peer_table("") == {}


def test_peer_versions_from_setup_peers():
    versions = perf.parse_peer_versions(
        "hugo     hugo v0.168.0-e27a6760c5547237f87d353aebe0580feadb20f4+extended+withdeploy linux/amd64\n"
        "pelican  4.12.0\n"
        "mkdocs   mkdocs, version 1.6.1 from /tmp/x/mkdocs (Python 3.11)\n"
        "eleventy 3.1.8  (node v20.20.2)\n"
    )
    assert versions == {"hugo": "0.168.0", "pelican": "4.12.0", "mkdocs": "1.6.1", "eleventy": "3.1.8"}


def test_the_edit_is_the_same_sentence_in_the_same_seed(tmp_path):
    for name in ("c.txt", "a.txt", "b.md"):
        (tmp_path / "seeds").mkdir(exist_ok=True)
        (tmp_path / "seeds" / name).write_text(f"Text of {name}.\n", encoding="utf-8")
    (tmp_path / "content" / "actors").mkdir(parents=True)
    (tmp_path / "content" / "actors" / "zed.md").write_text("---\nname: Zed\n---\n", encoding="utf-8")
    (tmp_path / "content" / "actors" / "anna-kor.md").write_text('---\nname: "Anna Kor"\nkind: person\n---\nBio.\n', encoding="utf-8")
    seed = perf.edit_one_seed(tmp_path)
    assert seed == tmp_path / "seeds" / "b.md"
    assert seed.read_text(encoding="utf-8") == "Text of b.md.\n\nAnna Kor said on Monday that the benchmark edit was read.\n"
    assert (tmp_path / "seeds" / "a.txt").read_text(encoding="utf-8") == "Text of a.txt.\n"
