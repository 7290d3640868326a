"""Synthetic scans with known text: pages drawn with Pillow, then tilted, blurred and speckled.

Used by the OCR tests and by ``eval/ocr_accuracy.py``: each page comes with the text it
was drawn from, so character accuracy and table rows can be measured against the truth.
Pages are kept short (OCR costs about a second per dense half page on this machine).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfWriter

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
REGULAR = f"{FONT_DIR}/DejaVuSans.ttf"
BOLD = f"{FONT_DIR}/DejaVuSans-Bold.ttf"
DPI = 300
PAGE_WIDTH = 2100
MARGIN = 150
FONT_PX = 40
LINE_GAP = 1.45
PARAGRAPH_GAP = 0.6

MOTTO_LEFT = ("UBND THÀNH PHỐ HỒ CHÍ MINH", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: 1875/TB-STTTT")
MOTTO_RIGHT = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Thành phố Hồ Chí Minh, ngày 12 tháng 8 năm 2024",
)
NOTICE_TITLE = "THÔNG BÁO"
NOTICE_PARAGRAPHS = (
    "Về việc triển khai tài khoản định danh điện tử mức độ 2 tại các phường, xã.",
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với Công an Thành phố hoàn thành việc "
    "kết nối 146 điểm tiếp nhận hồ sơ thủ tục hành chính với ứng dụng VNeID trước ngày "
    "30/9/2024.",
    "Ủy ban nhân dân các quận, huyện rà soát danh sách cán bộ một cửa, báo cáo kết quả về "
    "Văn phòng Ủy ban nhân dân Thành phố trong tháng 10 năm 2024.",
)
TASK_HEADER = ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành")
TASK_ROWS = (
    ("1", "Làm sạch dữ liệu hộ tịch trên địa bàn", "Sở Tư pháp", "Quý III/2024"),
    ("2", "Cấp chữ ký số cho công chức một cửa", "Văn phòng UBND Thành phố", "Tháng 9/2024"),
    ("3", "Kết nối dữ liệu bảo hiểm y tế", "Bảo hiểm xã hội Thành phố", "Quý IV/2024"),
    ("4", "Tuyên truyền sử dụng dịch vụ công", "Sở Thông tin và Truyền thông", "Thường xuyên"),
    ("5", "Triển khai thanh toán không dùng tiền mặt", "Sở Y tế", "Năm 2024"),
)
TABLE_COLUMNS = (0.08, 0.42, 0.30, 0.20)
GROUP_ROW = ("B. Nhiệm vụ về chuyển đổi số",)


@dataclass(frozen=True)
class ScannedPage:
    """A page image and the text it shows (lines; table rows as tuples of cells)."""

    image: Image.Image
    lines: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def _font(bold: bool = False, size: int = FONT_PX) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(BOLD if bold else REGULAR, size)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Words of ``text`` in lines no wider than ``width`` pixels."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


A4_300DPI = (2480, 3508)


class _Canvas:
    def __init__(self, height: int, width: int = PAGE_WIDTH) -> None:
        self.width = width
        self.image = Image.new("L", (width, height), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = MARGIN
        self.lines: list[str] = []

    def centered(self, text: str, center: int, y: int, bold: bool = False) -> None:
        font = _font(bold)
        self.draw.text((center - font.getlength(text) / 2, y), text, font=font, fill=0)

    def paragraph(self, text: str, bold: bool = False, center: bool = False) -> None:
        font = _font(bold)
        for line in wrap(text, font, self.width - 2 * MARGIN):
            x = (self.width - font.getlength(line)) / 2 if center else MARGIN
            self.draw.text((x, self.y), line, font=font, fill=0)
            self.y += int(FONT_PX * LINE_GAP)
            self.lines.append(line)
        self.y += int(FONT_PX * PARAGRAPH_GAP)

    def motto_block(self) -> None:
        """The two-column header of Vietnamese official letters (issuer left, motto right)."""
        left_center, right_center = MARGIN + 380, self.width - MARGIN - 560
        top = self.y
        for index, (left, right) in enumerate(zip(MOTTO_LEFT, MOTTO_RIGHT, strict=True)):
            y = top + index * int(FONT_PX * LINE_GAP * 1.2)
            self.centered(left, left_center, y, bold=index == 1)
            self.centered(right, right_center, y, bold=index == 0)
        self.lines.extend([*MOTTO_LEFT, *MOTTO_RIGHT])
        self.y = top + len(MOTTO_LEFT) * int(FONT_PX * LINE_GAP * 1.2) + FONT_PX

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        font = _font(size=FONT_PX - 6)
        width = self.width - 2 * MARGIN
        edges = [MARGIN + int(width * sum(TABLE_COLUMNS[:i])) for i in range(len(header) + 1)]
        line_px = int((FONT_PX - 6) * LINE_GAP)
        for cells in [header, *rows]:
            # A one-cell row is a group title merged across the whole table.
            row_edges = edges if len(cells) > 1 else [edges[0], edges[-1]]
            wrapped = [
                wrap(cell, font, row_edges[i + 1] - row_edges[i] - 24)
                for i, cell in enumerate(cells)
            ]
            height = max(len(w) for w in wrapped) * line_px + 24
            for i, cell_lines in enumerate(wrapped):
                for n, text in enumerate(cell_lines):
                    self.draw.text(
                        (row_edges[i] + 12, self.y + 12 + n * line_px), text, font=font, fill=0
                    )
            self.draw.line([(edges[0], self.y), (edges[-1], self.y)], fill=0, width=3)
            for x in row_edges:
                self.draw.line([(x, self.y), (x, self.y + height)], fill=0, width=3)
            self.y += height
        self.draw.line([(edges[0], self.y), (edges[-1], self.y)], fill=0, width=3)
        self.y += FONT_PX

    def finish(self) -> Image.Image:
        return self.image.crop((0, 0, self.width, self.y + MARGIN))


def degrade(
    image: Image.Image, angle: float = 1.2, blur: float = 0.8, noise: float = 0.002, seed: int = 6
) -> Image.Image:
    """What a flatbed scanner does to a page: a small tilt, soft edges, specks."""
    tilted = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    blurred = tilted.filter(ImageFilter.GaussianBlur(blur))
    pixels = np.asarray(blurred, dtype=np.uint8).copy()
    rng = np.random.default_rng(seed)
    specks = rng.random(pixels.shape) < noise
    pixels[specks] = rng.choice(np.array([0, 255], dtype=np.uint8), size=int(specks.sum()))
    return Image.fromarray(pixels, mode="L")


def notice_page(angle: float = 1.2) -> ScannedPage:
    """A one-page notice: national-motto header block, title and prose."""
    canvas = _Canvas(1500)
    canvas.motto_block()
    canvas.paragraph(NOTICE_TITLE, bold=True, center=True)
    for text in NOTICE_PARAGRAPHS:
        canvas.paragraph(text)
    return ScannedPage(degrade(canvas.finish(), angle=angle), tuple(canvas.lines))


def prose_page(angle: float = 1.2) -> ScannedPage:
    """The notice's title and paragraphs without the header block: plain prose."""
    canvas = _Canvas(1500)
    canvas.paragraph(NOTICE_TITLE, bold=True, center=True)
    for text in NOTICE_PARAGRAPHS:
        canvas.paragraph(text)
    return ScannedPage(degrade(canvas.finish(), angle=angle), tuple(canvas.lines))


def full_page(angle: float = 0.7) -> ScannedPage:
    """A whole A4 page at 300 dpi: the notice, its paragraphs repeated down to the margin."""
    width, height = A4_300DPI
    canvas = _Canvas(height, width)
    canvas.motto_block()
    canvas.paragraph(NOTICE_TITLE, bold=True, center=True)
    while canvas.y < height - 2 * MARGIN - 4 * FONT_PX:
        for text in NOTICE_PARAGRAPHS:
            canvas.paragraph(text)
    image = canvas.image  # keep the full sheet, as a scanner does
    return ScannedPage(degrade(image, angle=angle), tuple(canvas.lines))


def uncut_table_page() -> ScannedPage:
    """Ruled rows whose one column rule runs through the words (a box around running text,
    a rule drawn over a merged cell): there are no cells to take apart."""
    canvas = _Canvas(1100)
    top = canvas.y
    for text in NOTICE_PARAGRAPHS[1:]:
        canvas.draw.line([(MARGIN, canvas.y), (canvas.width - MARGIN, canvas.y)], fill=0, width=3)
        canvas.y += 12
        canvas.paragraph(text)
    canvas.draw.line([(MARGIN, canvas.y), (canvas.width - MARGIN, canvas.y)], fill=0, width=3)
    middle = canvas.width // 2
    canvas.draw.line([(middle, top), (middle, canvas.y)], fill=0, width=3)
    return ScannedPage(degrade(canvas.finish(), angle=0.5), tuple(canvas.lines))


def picture_page() -> ScannedPage:
    """A page with drawing but no writing (a stamp-less signature page, a photo)."""
    image = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(image)
    draw.ellipse((200, 150, 700, 650), outline=0, width=8)
    draw.rectangle((750, 300, 1050, 700), fill=90)
    draw.line((100, 800, 1100, 780), fill=0, width=5)
    return ScannedPage(degrade(image), ())


def table_page(angle: float = -0.8) -> ScannedPage:
    """An appendix page: a heading and a ruled task table."""
    canvas = _Canvas(1500)
    canvas.paragraph("PHỤ LỤC NHIỆM VỤ TRIỂN KHAI NĂM 2024", bold=True, center=True)
    # A merged group row between the task rows, as the results appendices have.
    canvas.table(TASK_HEADER, [*TASK_ROWS[:3], GROUP_ROW, *TASK_ROWS[3:]])
    return ScannedPage(degrade(canvas.finish(), angle=angle), tuple(canvas.lines), TASK_ROWS)


def image_pdf(images: Sequence[Image.Image], dpi: int = DPI) -> bytes:
    """An image-only PDF (no text layer), one page per image, as a scanner writes it."""
    buffer = io.BytesIO()
    first, *rest = [image.convert("L") for image in images]
    first.save(buffer, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return buffer.getvalue()


def blank_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` empty A4 pages: no text layer, nothing to read."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
