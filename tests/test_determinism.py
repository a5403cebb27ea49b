"""The same input builds to byte-identical trees: wherever the output goes, and whatever the hash seed
(set-iteration order), so a rebuild's `git diff` shows only real changes."""
from __future__ import annotations

import os
import subprocess
import sys

from briefing.stages.write import MARKER

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HASH_SEEDS = ("0", "2718281828")  # and this process's own random seed, for the in-process build


def test_two_builds_into_different_folders_are_byte_identical(site_project, tmp_path, build, tree):
    first, second = tmp_path / "first" / "site", tmp_path / "second" / "deeper" / "public"
    assert build(site_project, first).exit_code == 0
    assert build(site_project, second).exit_code == 0
    first_tree, second_tree = tree(first), tree(second)
    assert first_tree.keys() == second_tree.keys()
    assert [path for path in first_tree if first_tree[path] != second_tree[path]] == []


def test_output_never_names_the_output_or_project_folder(site_project, tmp_path, build, tree):
    output = tmp_path / "site-output-folder"
    assert build(site_project, output).exit_code == 0
    leaks = [
        path
        for path, content in tree(output).items()
        if str(tmp_path).encode() in content or str(site_project).encode() in content
    ]
    assert leaks == []


def test_builds_under_different_hash_seeds_are_byte_identical(site_project, tmp_path, build, tree):
    """Each seed builds in its own `python -m briefing` process; the in-process CLI build must agree too."""
    assert build(site_project, tmp_path / "in-process").exit_code == 0
    trees = [tree(tmp_path / "in-process")]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [REPO_ROOT, os.environ.get("PYTHONPATH")]))}
    for seed in HASH_SEEDS:
        output = tmp_path / f"seed-{seed}"
        completed = subprocess.run(
            [sys.executable, "-m", "briefing", "build", "--project", str(site_project), "--output", str(output), "--quiet"],
            env={**environment, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode == 0, completed.stderr
        assert (output / MARKER).is_file()
        trees.append(tree(output))
    for seed, other in zip(HASH_SEEDS, trees[1:]):
        assert other.keys() == trees[0].keys(), f"PYTHONHASHSEED={seed} built a different set of files"
        assert [path for path in other if other[path] != trees[0][path]] == [], f"PYTHONHASHSEED={seed} built different bytes"
