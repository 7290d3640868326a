from ingest.columns import column_vocabulary
from ingest.tables import RawRow, assemble_table

HEADER = ("TT", "Nội dung, nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn")


def raw(cells, page=1, line=1):
    return RawRow(tuple(cells), page, line, line, frozenset({(page, line)}))


def test_repeated_header_and_column_numbers_are_dropped_and_page_split_rows_joined():
    rows = [
        raw(HEADER, 1, 1),
        raw(("(1)", "(2)", "(3)", "(4)", "(5)"), 1, 2),
        raw(("I. VỀ CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "", "", "", ""), 1, 3),
        raw(
            ("01", "Tham mưu ban hành Chỉ thị", "Công an thành phố", "Các sở,", "Quý I/2024"), 1, 4
        ),
        raw(HEADER, 2, 1),
        raw(("", "của Thành ủy", "", "ban, ngành", ""), 2, 2),
        raw(("02", "Xây dựng Kế hoạch", "Sở Nội vụ", "", "Quý II/2024"), 2, 3),
    ]
    table = assemble_table(rows, column_vocabulary())
    assert table.header == HEADER
    assert [r.group for r in table.rows] == [True, False, False]
    first = table.rows[1]
    assert first.cells[1] == "Tham mưu ban hành Chỉ thị của Thành ủy"
    assert first.cells[3] == "Các sở, ban, ngành"
    # Cited by its first page's lines.
    assert (first.page, first.line_start) == (1, 4)
    assert table.rows[2].cells[0] == "02"
    assert (2, 1) in table.lines  # the repeated header is covered, not left as text


def test_a_two_row_header_is_merged():
    rows = [
        raw(("STT", "Nội dung", "Đơn vị thực hiện", "Kết quả", ""), 1, 1),
        raw(("", "", "", "Hoàn thành, sản phẩm", "Chưa hoàn thành"), 1, 2),
        raw(("1", "Làm sạch dữ liệu", "Bộ Tư pháp", "Đã xong", ""), 1, 3),
    ]
    table = assemble_table(rows, column_vocabulary())
    assert table.header[3] == "Kết quả Hoàn thành, sản phẩm"
    assert table.header[4] == "Chưa hoàn thành"
    assert len(table.rows) == 1


def test_rows_on_one_page_without_number_are_not_joined():
    rows = [
        raw(HEADER, 1, 1),
        raw(("1", "A", "Sở Y tế", "", ""), 1, 2),
        raw(("", "B", "", "", ""), 1, 3),
    ]
    table = assemble_table(rows, column_vocabulary())
    assert len(table.rows) == 2


def test_a_table_without_role_words_takes_its_first_row_as_header():
    rows = [raw(("Dịch vụ", "Tổng số hồ sơ"), 1, 1), raw(("Cấp căn cước", "120"), 1, 2)]
    table = assemble_table(rows, column_vocabulary())
    assert table.header == ("Dịch vụ", "Tổng số hồ sơ")
    assert len(table.rows) == 1


def test_a_table_of_data_only_has_no_header():
    rows = [raw(("1", "Cấp căn cước", "120"), 1, 1), raw(("2", "Khai sinh", "45"), 1, 2)]
    table = assemble_table(rows, column_vocabulary())
    assert table.header == ()
    assert len(table.rows) == 2
