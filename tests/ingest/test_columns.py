import pytest

from ingest.columns import column_vocabulary


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("TT", "row"),
        ("Số TT", "row"),
        ("Nội dung, nhiệm vụ", "text"),
        ("Đơn vị chủ trì", "lead"),
        ("Cơ quan chủ trì", "lead"),
        ("Đơn vị phối hợp", "coordinating"),
        ("Đơn vị thực \nhiện", "units"),
        ("Thời gian \nhoàn thành", "deadline"),
        ("Thời hạn", "deadline"),
        ("Sản phẩm", "product"),
        ("Kết quả đầu ra", "product"),
        ("Văn bản chỉ đạo", "directives"),
        ("Kết quả thực hiện", "result"),
        ("Tình hình thực hiện", "result"),
        ("Hoàn thành, sản phẩm", "result"),
        ("Nguy cơ", "risk"),
        ("Ghi chú", "note"),
        ("Tổng số hồ sơ", None),
        ("THOI GIAN HOAN THANH", "deadline"),
    ],
)
def test_header_words_name_a_role(header, role):
    assert column_vocabulary().role_of(header) == role


@pytest.mark.parametrize(
    ("header", "tasks"),
    [
        (
            (
                "TT",
                "Nội dung, nhiệm vụ",
                "Đơn vị chủ trì",
                "Đơn vị phối hợp",
                "Thời gian hoàn thành",
                "Sản phẩm",
            ),
            True,
        ),
        (
            (
                "STT",
                "Nội dung, nhiệm vụ",
                "Văn bản chỉ đạo",
                "Đơn vị thực hiện",
                "Thời gian hoàn thành",
                "Kết quả",
            ),
            True,
        ),
        (("Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"), True),
        # Statistics tables of the 4709 letter: no task, no unit.
        (("Số TT", "Dịch vụ", "Tổng số hồ sơ", "Trực tuyến", "Tỷ lệ"), False),
        (("STT", "Nội dung", "Ghi chú"), False),
        (("STT", "Đơn vị thực hiện", "Thời hạn"), False),
    ],
)
def test_only_headers_naming_a_task_make_task_tables(header, tasks):
    vocabulary = column_vocabulary()
    assert vocabulary.is_task_table(vocabulary.roles_of(header)) is tasks


def test_ingest_output_names_tables_kept_as_text():
    from ingest.document_report import report_lines

    lines = report_lines(
        [
            {
                "source": "so-lieu.pdf",
                "tables": 2,
                "task_tables": 1,
                "tasks": 12,
                "kept_as_text": ["bảng 2 (trang 3, dòng 5): Số TT | Dịch vụ"],
            }
        ]
    )
    assert lines[0] == (
        "so-lieu.pdf: 2 bảng / tables, 1 thành nhiệm vụ / as tasks, 12 nhiệm vụ / task rows"
    )
    assert lines[1].endswith("bảng 2 (trang 3, dòng 5): Số TT | Dịch vụ")
