"""Synthetic copies for the scale test: same shapes, distinct rows, distinct document names."""

from __future__ import annotations

import json
from pathlib import Path

from eval.corpus_variants import (
    copy_name,
    vary_departments,
    vary_figures,
    vary_manifest_entry,
    vary_place,
    vary_text,
    vary_years,
)
from eval.scale import write_corpus

ROW = "1\tXây dựng kho dữ liệu hộ tịch\tSở Tư pháp\tSở Y tế\tQuý II/2024\t125 hồ sơ"


def test_years_move_past_the_shipped_ones() -> None:
    assert vary_years("Quý II/2024, năm 2023", 1) == "Quý II/2055, năm 2054"
    assert vary_years("4709/CV", 1) == "4709/CV"


def test_figures_change_but_programme_and_row_numbers_stay() -> None:
    assert (
        vary_figures("Đề án 06, mục 3, 125 hồ sơ, 4709/CV", 2)
        == "Đề án 06, mục 3, 127 hồ sơ, 4709/CV"
    )


def test_figures_move_at_most_twenty_so_tables_keep_their_rows() -> None:
    # Row 9 stays and row 10 moves: more than MAX_ROW_GAP (25) between them ends the table.
    assert vary_figures("9\n10", 49) == "9\n19"
    assert vary_figures("125 hồ sơ", 21) == vary_figures("125 hồ sơ", 1) == "126 hồ sơ"


def test_place_and_departments_are_replaced_consistently() -> None:
    assert vary_place("UBND Thành phố Hồ Chí Minh và TP.HCM", 1) == (
        "UBND tỉnh Hà Nội và tỉnh Hà Nội"
    )
    varied = vary_departments("Sở Tư pháp; Sở Y tế", 1)
    assert varied == "Sở Y tế; Sở Giáo dục và Đào tạo"


def test_copies_keep_the_row_shape_and_differ_from_each_other() -> None:
    copies = [vary_text(ROW, n) for n in range(1, 6)]
    assert all(c.count("\t") == ROW.count("\t") for c in copies)
    assert len(set(copies)) == len(copies) and ROW not in copies


def test_manifest_names_the_copy_province() -> None:
    entry = {
        "title": "Kế hoạch năm 2024",
        "aliases": ["kế hoạch 2024", "phụ lục 03"],
        "number": None,
    }
    varied = vary_manifest_entry(entry, 2)
    assert varied["title"] == "Kế hoạch năm 2056 (Hải Phòng)"
    in_title = vary_manifest_entry({"title": "Kế hoạch của TP.HCM", "date": "2024-03"}, 2)
    assert in_title == {"title": "Kế hoạch của tỉnh Hải Phòng", "date": "2056-03", "aliases": []}
    assert varied["aliases"] == ["kế hoạch 2056 Hải Phòng", "phụ lục 03 Hải Phòng"]
    assert copy_name("a-b.txt", 7) == "a-b-ban-07.txt"


def test_write_corpus_adds_copies_and_their_manifest(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "ke-hoach.txt").write_text(ROW + "\n", encoding="utf-8")
    (shipped / "manifest.json").write_text(
        json.dumps({"ke-hoach.txt": {"title": "Kế hoạch 2024", "aliases": []}}), encoding="utf-8"
    )
    assert write_corpus(shipped, tmp_path / "out", copies=3) == 4
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == {"ke-hoach.txt", *(copy_name("ke-hoach.txt", n) for n in (1, 2, 3))}
    assert (tmp_path / "out" / "ke-hoach.txt").read_text(encoding="utf-8") == ROW + "\n"
