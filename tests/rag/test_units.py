"""Unit gazetteer: canonical names, free-text mentions, multi-unit cells, suggestions.

Cells and phrases are copied from the corpus tables (the 2024 plan, the 4709 letter, the
PDF appendices), so the cases document how units are actually written there.
"""

from __future__ import annotations

import json
import unicodedata

import pytest

from rag.units import DEFAULT_PATH, Gazetteer, default_gazetteer, split_units

STTTT = "Sở Thông tin và Truyền thông"
VP_UBND = "Văn phòng Ủy ban nhân dân Thành phố"
CATP = "Công an Thành phố"
DISTRICTS = "UBND quận, huyện, thành phố Thủ Đức"
COMMUNES = "UBND phường, xã, thị trấn"
DEPARTMENTS = "Các sở, ban, ngành"
HANOI_POLICE = "Công an thành phố Hà Nội"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        # as written in the corpus
        ("Sở Thông tin và Truyền thông", STTTT),
        ("Sở Thông tin và truyền thông", STTTT),
        ("Công an thành phố", CATP),
        ("Văn phòng UBND Thành phố", VP_UBND),
        ("Sở Lao động - Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Lao động – Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
        ("Bộ Lao động – Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
        ("Bộ Lao động Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
        ("Tòa án nhân dân Tối cao", "Tòa án nhân dân tối cao"),
        ("Viện Kiểm sát nhân dân Thành phố", "Viện kiểm sát nhân dân Thành phố"),
        ("Cục thuế Thành phố", "Cục Thuế Thành phố"),
        ("Bộ tài nguyên và Môi trường", "Bộ Tài nguyên và Môi trường"),
        ("Bộ Văn hóa – Thể thao và du lịch", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("Ủy ban nhân dân cấp huyện", DISTRICTS),
        ("UBND cấp huyện", DISTRICTS),
        ("UBND cấp xã", COMMUNES),
        ("UBND 63 địa phương", "UBND 63 địa phương"),
        ("UBND các tỉnh, thành phố trực thuộc Trung ương", "UBND các tỉnh, thành phố"),
        ("Các bộ, ngành, địa phương", "Các bộ, ngành, địa phương"),
        ("Tổ công tác triển khai Đề án 06", "Tổ công tác triển khai Đề án 06"),
        ("Ban Cơ yếu Chính phủ", "Ban Cơ yếu Chính phủ"),
        ("Bộ Giao dục và Đào tạo", "Bộ Giáo dục và Đào tạo"),
        # without diacritics, upper case, NFD
        ("so thong tin va truyen thong", STTTT),
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", STTTT),
        (unicodedata.normalize("NFD", "Sở Thông tin và Truyền thông"), STTTT),
        ("bo cong an", "Bộ Công an"),
        ("van phong chinh phu", "Văn phòng Chính phủ"),
        # abbreviations
        ("CATP", CATP),
        ("Công an TP", CATP),
        ("Công an TP.HCM", CATP),
        ("Cơ quan thường trực", CATP),
        ("STTTT", STTTT),
        ("Sở TT&TT", STTTT),
        ("Sở TTTT", STTTT),
        ("Sở TT-TT", STTTT),
        ("VP UBND TP", VP_UBND),
        ("VPUB", VP_UBND),
        ("UBND Thành phố", "Ủy ban nhân dân Thành phố"),
        ("VPCP", "Văn phòng Chính phủ"),
        ("BCA", "Bộ Công an"),
        ("Bộ TTTT", "Bộ Thông tin và Truyền thông"),
        ("Bộ GTVT", "Bộ Giao thông vận tải"),
        ("Bộ TN&MT", "Bộ Tài nguyên và Môi trường"),
        ("Bộ KH&ĐT", "Bộ Kế hoạch và Đầu tư"),
        ("Bộ KHĐT", "Bộ Kế hoạch và Đầu tư"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("TAND TP", "Tòa án nhân dân Thành phố"),
        ("NHNN Việt Nam", "Ngân hàng Nhà nước Việt Nam"),
        ("BHXH Việt Nam", "Bảo hiểm xã hội Việt Nam"),
        ("VNPost", "Tổng Công ty Bưu điện Việt Nam"),
        # typos
        ("Sở Thong tin va Truyen thong", STTTT),
        ("So Noi vu", "Sở Nội vụ"),
        ("Sở Thông tinn và Truyền thông", STTTT),
        ("Bộ Công aan", "Bộ Công an"),
        ("Bộ Tư phám", "Bộ Tư pháp"),
        ("Sở Giáo dục và Đàotạo", "Sở Giáo dục và Đào tạo"),
        # a name that contains exactly one unit
        ("Sở Thông tin và Truyền thông Thành phố Hồ Chí Minh", STTTT),
        # Hanoi's city police: "CATP" alone is Ho Chi Minh City's
        ("CATP HN", HANOI_POLICE),
        ("Công an thành phố Hà Nội", HANOI_POLICE),
    ],
)
def test_canonical(gazetteer, name, canonical):
    assert gazetteer.canonical(name) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Sở",
        "Bộ",
        "hello world",
        "Quý II/2024",
        "Kế hoạch",
        "Thành phố Hồ Chí Minh",
        "Trung tâm điều hành thông minh",
        "dịch vụ công trực tuyến",
        "Sở Du lịch",
        "Hội nghị",
        # a count that is not the curated one is no typo of it
        "UBND 8 địa phương",
        "UBND 06 địa phương",
        # bare field names from the national lists of ministries: Sở or Bộ is unknown
        "Giáo dục và Đào tạo",
        "Tài nguyên và Môi trường",
        "Lao động Thương binh và Xã hội",
        "Thông tin và Truyền thông",
        "Kế hoạch và Đầu tư",
        "Y tế",
        "Tư pháp",
    ],
)
def test_unrelated_text_has_no_canonical_unit(gazetteer, text):
    assert gazetteer.canonical(text) is None


def _field_names() -> list[str]:
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    heads = {"so": "Sở ", "bo": "Bộ "}
    return sorted(
        {
            unit["name"].removeprefix(heads[unit["kind"]])
            for unit in data["units"]
            if unit["kind"] in heads
        }
    )


@pytest.mark.parametrize("field", _field_names())
def test_bare_field_name_is_neither_so_nor_bo(gazetteer, field):
    # Also catches an alias in units.json that is a bare field name.
    assert gazetteer.canonical(field) is None


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("Văn phòng UBND Thành phố chủ trì", [VP_UBND]),
        ("Sở Thông tin và truyền thông phối hợp", [STTTT]),
        (
            "Phối hợp Văn phòng Chính phủ, Bộ Kế hoạch và Đầu tư tích hợp, kết nối",
            ["Văn phòng Chính phủ", "Bộ Kế hoạch và Đầu tư"],
        ),
        (
            "Văn phòng UBND Thành phố, Sở Thông tin và Truyền thông và UBND cấp huyện",
            [VP_UBND, STTTT, DISTRICTS],
        ),
        ("Bộ TTTT đã có văn bản chỉ đạo các nhà mạng", ["Bộ Thông tin và Truyền thông"]),
        (
            "Đề nghị CATP báo cáo Bộ Công an (qua C06)",
            [CATP, "Bộ Công an", "Cục Cảnh sát quản lý hành chính về trật tự xã hội"],
        ),
        # "số" (number) is not "Sở" although both fold to "so"
        ("phục vụ chuyển đổi số y tế", []),
        ("Trung tâm chuyển đổi số Thành phố", ["Trung tâm chuyển đổi số Thành phố"]),
        ("Tham mưu ban hành Chỉ thị hoặc văn bản chỉ đạo về đẩy mạnh triển khai", []),
        ("Tổng số hồ sơ trực tuyến tăng so với tháng 12 năm 2023", []),
    ],
)
def test_find_in_text(gazetteer, text, units):
    assert gazetteer.find_in_text(text) == units


def test_find_in_text_longest_match_does_not_also_yield_the_inner_unit(gazetteer):
    assert "Ủy ban nhân dân Thành phố" not in gazetteer.find_in_text("Văn phòng UBND Thành phố")
    assert gazetteer.find_in_text("Văn phòng UBND Thành phố trình UBND Thành phố") == [
        VP_UBND,
        "Ủy ban nhân dân Thành phố",
    ]


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("Văn phòng UBND Thành phố, Sở Thông tin và Truyền thông", [VP_UBND, STTTT]),
        ("Sở Tài chính, Sở Kế hoạch và Đầu tư", ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]),
        ("(1) Bộ Công an (2) Văn phòng Chính phủ", ["Bộ Công an", "Văn phòng Chính phủ"]),
        (
            "Bộ Xây dựng; Bộ Tài nguyên và Môi trường",
            ["Bộ Xây dựng", "Bộ Tài nguyên và Môi trường"],
        ),
        ("Bộ Nội vụ; Bộ Tư pháp", ["Bộ Nội vụ", "Bộ Tư pháp"]),
        ("Các sở, ban, ngành, UBND quận, huyện, thành phố Thủ Đức", [DEPARTMENTS, DISTRICTS]),
        ("UBND phường, xã, thị trấn", [COMMUNES]),
        ("Công an Thành phố, UBND quận, huyện, thành phố Thủ Đức", [CATP, DISTRICTS]),
        ("Các sở, ban, ngành Thành phố và UBND cấp huyện", [DEPARTMENTS, DISTRICTS]),
        ("Các sở, ngành, UBND quận, huyện", [DEPARTMENTS, DISTRICTS]),
        ("Công an Thành phố; Ủy ban nhân dân cấp huyện, cấp xã", [CATP, DISTRICTS, COMMUNES]),
        (
            "Công an Thành phố và các sở, ban, ngành, địa phương liên quan",
            [CATP, "Các sở, ban, ngành, địa phương"],
        ),
        ("Các Sở, ban, ngành, địa phương triển", ["Các sở, ban, ngành, địa phương"]),
        (
            "Bộ Công an, Bộ Lao động – Thương binh và Xã hội, Bộ Thông tin và Truyền thông",
            ["Bộ Công an", "Bộ Lao động - Thương binh và Xã hội", "Bộ Thông tin và Truyền thông"],
        ),
        (
            "Sở Thông tin và truyền thông, Sở Văn hóa và Thể thao, Cơ quan Báo, Đài truyền hình",
            [STTTT, "Sở Văn hóa và Thể thao", "Cơ quan Báo, Đài truyền hình"],
        ),
        (
            "Ban Chỉ đạo triển khai thực hiện Đề án 06 cấp huyện, Tổ Công tác cấp xã",
            ["Ban Chỉ đạo Đề án 06 cấp huyện", "Tổ Công tác Đề án 06 cấp xã"],
        ),
        (
            "Bộ Thông tin và Truyền thông; và các bộ, ngành, địa phương",
            ["Bộ Thông tin và Truyền thông", "Các bộ, ngành, địa phương"],
        ),
        (
            "(1) Bộ Thông tin và Truyền thông (2) VTV, VOV",
            ["Bộ Thông tin và Truyền thông", "Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam"],
        ),
        (
            "Bộ tài nguyên và Môi trường, VNPost",
            ["Bộ Tài nguyên và Môi trường", "Tổng Công ty Bưu điện Việt Nam"],
        ),
        ("Cục thuế Thành phố, Hải quan Thành phố", ["Cục Thuế Thành phố", "Hải quan Thành phố"]),
        ("Các cơ quan, tổ chức và doanh nghiệp có liên quan", ["Các cơ quan, đơn vị liên quan"]),
        # unknown names stay as written, cleaned
        (
            "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh, Hòa Bình, Càn Thơ, Lâm Đồng",
            ["UBND thành phố Hà Nội", "Thành phố Hồ Chí Minh", "Hòa Bình", "Càn Thơ", "Lâm Đồng"],
        ),
        ("Ban Chỉ đạo  Đề án X;  Hội Nông dân ", ["Ban Chỉ đạo Đề án X", "Hội Nông dân"]),
        ("", []),
        # other provinces written in lower case keep their phrase (Phụ lục I row 15)
        (
            "UBND TP Hà Nội. TP Hồ Chí Minh, tỉnh Bình Dương, tỉnh Quảng Ninh",
            ["UBND thành phố Hà Nội", "TP Hồ Chí Minh", "tỉnh Bình Dương", "tỉnh Quảng Ninh"],
        ),
        (
            "UBND thành phố Hà Nội, TP Hồ Chí Minh, tỉnh Bình Dương, tỉnh Quảng Ninh",
            ["UBND thành phố Hà Nội", "TP Hồ Chí Minh", "tỉnh Bình Dương", "tỉnh Quảng Ninh"],
        ),
        ("các tỉnh", []),
        ("tỉnh", []),
        # a counted group is one unit
        ("UBND 8 địa phương", ["UBND 8 địa phương"]),
        ("UBND 06 địa phương", ["UBND 06 địa phương"]),
        ("UBND 63 địa phương", ["UBND 63 địa phương"]),
        (
            "UBND 8 địa phương, Bộ LĐTBXH",
            ["UBND 8 địa phương", "Bộ Lao động - Thương binh và Xã hội"],
        ),
        # Hanoi's police is not Ho Chi Minh City's
        ("Bộ Công an và CATP HN", ["Bộ Công an", HANOI_POLICE]),
        (
            "UBND thành phố Hà Nội phối hợp BCA và CATP HN",
            ["UBND thành phố Hà Nội", "Bộ Công an", HANOI_POLICE],
        ),
        ("CATP, CATP HN", [CATP, HANOI_POLICE]),
        # bare field names stay as written when nothing in the cell gives their level
        (
            "Công thương; Giáo dục và Đào tạo; Kế hoạch và Đầu tư; Tài nguyên và Môi trường",
            [
                "Công thương",
                "Giáo dục và Đào tạo",
                "Kế hoạch và Đầu tư",
                "Tài nguyên và Môi trường",
            ],
        ),
        (
            "Giáo dục và Đào tạo, Lao động Thương binh và Xã hội, Tài nguyên và Môi trường, Tư "
            "pháp, Y tế, Tòa án nhân dân tối cao",
            [
                "Giáo dục và Đào tạo",
                "Lao động Thương binh và Xã hội",
                "Tài nguyên và Môi trường",
                "Tư pháp",
                "Y tế",
                "Tòa án nhân dân tối cao",
            ],
        ),
        (
            "Các bộ ngành: Tư pháp, Lao động thương binh xã hội, Y tế",
            ["Các bộ, ngành", "Tư pháp", "Lao động thương binh xã hội", "Y tế"],
        ),
        # ... and take the level of the Sở or Bộ named beside them
        (
            "Tài nguyên và Môi trường, Sở Thông tin và Truyền thông và địa phương",
            ["Sở Tài nguyên và Môi trường", STTTT, "UBND các địa phương"],
        ),
        ("Bộ Công an, Tư pháp, Y tế", ["Bộ Công an", "Bộ Tư pháp", "Bộ Y tế"]),
        ("Sở Y tế, Bộ Y tế, Tư pháp", ["Sở Y tế", "Bộ Y tế", "Tư pháp"]),
    ],
)
def test_split_units(cell, units):
    assert split_units(cell) == units


@pytest.mark.parametrize(
    ("name", "first", "also"),
    [
        ("so thong tin", STTTT, "Bộ Thông tin và Truyền thông"),
        ("Sở Giáo dục", "Sở Giáo dục và Đào tạo", "Bộ Giáo dục và Đào tạo"),
        ("Bộ Tài", "Bộ Tài chính", "Bộ Tài nguyên và Môi trường"),
        ("cong an", CATP, "Bộ Công an"),
        ("tư pháp", "Sở Tư pháp", "Bộ Tư pháp"),
    ],
)
def test_suggest(gazetteer, name, first, also):
    suggestions = gazetteer.suggest(name, limit=3)
    assert suggestions[0] == first
    assert also in suggestions
    assert len(suggestions) == len(set(suggestions)) == 3


def test_suggest_nothing_for_nonsense(gazetteer):
    assert gazetteer.suggest("xyz qwe") == []


def test_aliases_of(gazetteer):
    assert {"STTTT", "Sở TT&TT"} <= set(gazetteer.aliases_of(STTTT))
    assert "Cơ quan thường trực" in gazetteer.aliases_of("CATP")
    assert gazetteer.aliases_of("không có") == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("STTTT", "so"),
        ("CATP", "city"),
        ("UBND cấp huyện", "district"),
        ("UBND cấp xã", "commune"),
        ("BCA", "bo"),
        ("VPCP", "national"),
        ("Các bộ, ngành", "group"),
        ("CATP HN", "province"),
    ],
)
def test_kind(gazetteer, name, kind):
    assert gazetteer.kind(name) == kind


def test_every_alias_resolves_to_its_own_unit(gazetteer):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    for unit in data["units"]:
        for spelling in [unit["name"], *unit["aliases"], *unit.get("loose", [])]:
            assert gazetteer.canonical(spelling) == gazetteer.canonical(unit["name"]), spelling


def test_load_from_path(tmp_path):
    path = tmp_path / "units.json"
    units = [{"name": "Sở Du lịch", "kind": "so", "aliases": ["SDL"]}]
    path.write_text(json.dumps({"units": units}), encoding="utf-8")
    small = Gazetteer.load(path)
    assert small.canonical("sdl") == "Sở Du lịch"
    assert small.find_in_text("Sở Du lịch Thành phố") == ["Sở Du lịch"]
    assert small.canonical("Bộ Công an") is None
