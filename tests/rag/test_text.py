"""Normalization and tokens: the same words must compare equal however the corpus spells them."""

import unicodedata

import pytest

from rag.text import fold, has_diacritics, index_tokens, normalize, squash


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà", "hòa"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("thuỷ lợi", "thủy lợi"),
        ("Văn hoá và Thể thao", "Văn hóa và Thể thao"),
        ("khoẻ", "khỏe"),
        ("quý II/2024", "quý II/2024"),  # "qu" is a consonant: the tone stays on y
        ("hoàn thành", "hoàn thành"),  # closed syllable: both conventions agree
        ("Hoà Bình", "Hòa Bình"),
    ],
)
def test_tone_placement_is_unified(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_nfd_and_nfc_normalize_to_the_same_text() -> None:
    nfc = "Sở Thông tin và Truyền thông"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert normalize(nfd) == normalize(nfc) == nfc


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("phục vụ công tác chỉ đạo[footnoteRef:1] và", "phục vụ công tác chỉ đạo và"),
        ("[bookmark: _Hlk1]Căn cứ Quyết định", "Căn cứ Quyết định"),
        ("]", ""),
        ("**TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN", "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN"),
        ("Kế hoạch số 908/KH-UBND  ngày\t14", "Kế hoạch số 908/KH-UBND ngày 14"),
    ],
)
def test_export_artifacts_and_whitespace_are_removed(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Sở Thông tin và Truyền thông", "so thong tin va truyen thong"),
        ("Đề án 06", "de an 06"),
        ("ĐỊNH DANH ĐIỆN TỬ", "dinh danh dien tu"),
        (unicodedata.normalize("NFD", "Ủy ban"), "uy ban"),
    ],
)
def test_fold_strips_diacritics_including_d_bar(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_has_diacritics() -> None:
    assert has_diacritics("Sở Nội vụ")
    assert not has_diacritics("so noi vu")


def test_squash_matches_document_numbers_in_any_spacing() -> None:
    assert squash("276/TB-VPCP") == squash("276 / tb - vpcp") == "276tbvpcp"
    assert squash("Quyết định 06/QĐ-TTg") == squash("quyet dinh 06/qd-ttg")


def test_index_tokens_match_with_and_without_diacritics() -> None:
    accented = set(index_tokens("Sở Nội vụ chủ trì"))
    plain = set(index_tokens("so noi vu chu tri"))
    assert plain <= accented
    assert {"so_noi", "noi_vu"} <= plain
    assert "sở" in accented and "sở" not in plain


def test_index_tokens_ignore_leading_zeros() -> None:
    assert "6" in index_tokens("Sơ kết 06 tháng") and "6" in index_tokens("6 tháng")
    assert "06" not in index_tokens("Sơ kết 06 tháng")


def test_numbers_split_by_a_wrapped_cell_are_rejoined() -> None:
    from rag.text import join_split_numbers

    assert join_split_numbers("bố trí 29.297.561.0 00 đồng") == "bố trí 29.297.561.000 đồng"
    assert join_split_numbers("14.425/35.38 9 trường hợp") == "14.425/35.389 trường hợp"
    # pieces that do not make one group of three digits stay apart
    assert join_split_numbers("Quận 5, 10, 12 và 1.5 2") == "Quận 5, 10, 12 và 1.5 2"
    assert join_split_numbers("đạt 7.389.831 hồ sơ, 12 nhóm") == "đạt 7.389.831 hồ sơ, 12 nhóm"
