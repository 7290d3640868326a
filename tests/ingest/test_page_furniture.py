import pytest

from ingest.page_furniture import furniture_lines, is_page_number, running_keys


@pytest.mark.parametrize("text", ["3", "- 3 -", "Trang 3", "Trang 3/12", "3/12", "(3)"])
def test_page_numbers(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["Quý II/2024", "2024 năm", "01 Tham mưu", "06/QĐ-TTg"])
def test_not_page_numbers(text):
    assert not is_page_number(text)


def test_running_heads_and_page_numbers_at_page_edges_are_furniture():
    words = ["một", "hai", "ba", "bốn"]
    pages = [
        ["Kế hoạch Đề án 06 - bản dự thảo", f"Mở đầu {w}", "Nội dung", f"Kết thúc {w}", str(n)]
        for n, w in enumerate(words, start=1)
    ]
    running = running_keys(pages)
    assert furniture_lines(pages[1], running) == {0, 4}
    # A number inside the page body is content.
    assert furniture_lines(["a", "b", "5", "c", "d", "e"], running) == set()
