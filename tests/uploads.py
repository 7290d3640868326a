"""Documents as a province would upload them, with no manifest entry: a DOCX plan with its
task table, PDF reports and a PDF letter, each opening with the usual letterhead (issuer,
motto, "Số: …", place and date, kind, title). Another province, numbers and years than the
shipped corpus, so any name a question finds them by was read from the documents."""

from __future__ import annotations

from eval.table_documents import PLAN_HEADER, SourceTable, prose_pdf, table_docx

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
ISSUER = ("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI")
PLAN_ROWS = (
    ("I. VỀ CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",),
    (
        "1",
        "Xây dựng Trung tâm giám sát điều hành thông minh của tỉnh",
        "Sở Thông tin và Truyền thông",
        "Các sở, ban, ngành",
        "Quý III/2025",
        "Trung tâm giám sát điều hành",
    ),
    (
        "2",
        "Tổ chức tập huấn kỹ năng số cho cán bộ cấp xã",
        "Sở Nội vụ",
        "UBND các huyện",
        "Tháng 6/2025",
        "Lớp tập huấn",
    ),
)


def plan_docx(number: str = "1234/KH-UBND", year: str = "2025") -> bytes:
    """A Word plan: letterhead, title naming its year, a task table with a group row."""
    head = [
        ISSUER[1],
        *MOTTO,
        f"Số: {number}",
        f"Đồng Nai, ngày 15 tháng 1 năm {year}",
        "KẾ HOẠCH",
        f"Triển khai thực hiện Đề án 06 năm {year} trên địa bàn tỉnh Đồng Nai",
        "I. MỤC ĐÍCH, YÊU CẦU",
        f"Triển khai đồng bộ các nhiệm vụ của Đề án 06 trong năm {year}.",
        "II. NHIỆM VỤ CỤ THỂ",
    ]
    return table_docx(SourceTable(ISSUER[0], PLAN_HEADER, PLAN_ROWS), prose=head)


def report_pdf(months: str, number: str, date_line: str, systems: int) -> bytes:
    """A PDF report of a period of 2025 ("Sơ kết 9 tháng năm 2025")."""
    lines = [
        *ISSUER,
        *MOTTO,
        f"Số: {number}",
        date_line,
        "BÁO CÁO",
        f"Sơ kết {months} tháng năm 2025 thực hiện Đề án 06 trên địa bàn tỉnh Đồng Nai",
        "I. KẾT QUẢ THỰC HIỆN",
        f"Trung tâm giám sát điều hành thông minh của tỉnh đã kết nối {systems} hệ thống "
        "thông tin.",
    ]
    return prose_pdf(lines, 1)


def letter_pdf() -> bytes:
    """A PDF letter: number, date, "V/v …" subject, no title year."""
    lines = [
        *ISSUER,
        *MOTTO,
        "Số: 5678/UBND-KGVX",
        "Đồng Nai, ngày 3 tháng 3 năm 2025",
        "V/v đẩy mạnh thu thập dữ liệu hộ tịch phục vụ Đề án 06",
        "Kính gửi: Các sở, ban, ngành tỉnh",
        "Đề nghị Sở Tư pháp hoàn thành số hóa dữ liệu hộ tịch trước ngày 30/9/2025.",
    ]
    return prose_pdf(lines, 1)


def province_uploads() -> dict[str, bytes]:
    """File name -> bytes: a plan, two reports of the same year, a letter."""
    return {
        "kh-dong-nai.docx": plan_docx(),
        "bc-9-thang.pdf": report_pdf("9", "321/BC-UBND", "Đồng Nai, ngày 2 tháng 10 năm 2025", 45),
        "bc-6-thang.pdf": report_pdf("06", "210/BC-UBND", "Đồng Nai, ngày 5 tháng 7 năm 2025", 30),
        "cv-5678.pdf": letter_pdf(),
    }
