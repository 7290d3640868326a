/*
 * Documents view: GET /v1/documents (list) and GET /v1/documents/{source} (numbered lines).
 * ?source=...&line=N[&end=M][&page=P] opens a document and highlights lines N..M.
 * Server text is always rendered with textContent.
 */
(() => {
  "use strict";

  const KIND = {
    plan: "Kế hoạch",
    report: "Báo cáo",
    letter: "Công văn",
    appendix: "Phụ lục",
    directive: "Chỉ thị",
    decision: "Quyết định",
    resolution: "Nghị quyết",
    notice: "Thông báo",
    document: "Văn bản",
  };
  const ERRORS = {
    ...window.DA06Page.ERRORS,
    auth: "Bạn không có quyền xem tài liệu này hoặc phiên làm việc đã hết hạn. Vui lòng tải lại trang.",
    notFound: "Không tìm thấy tài liệu.",
  };

  const els = {
    list: document.getElementById("doc-list"),
    viewer: document.getElementById("viewer"),
    title: document.getElementById("doc-title"),
    hint: document.getElementById("doc-hint"),
    lines: document.getElementById("doc-lines"),
    error: document.getElementById("error"),
  };

  // ---- helpers (the shared ones come from common.js) -----------------------------------

  const { h, formatDate } = window.DA06Page;
  const getJson = (path) => window.DA06Page.getJson(path, ERRORS);

  function showError(message) {
    els.error.textContent = message;
    els.error.hidden = !message;
  }

  // ---- location -----------------------------------------------------------------------

  function readTarget() {
    const p = new URLSearchParams(window.location.search);
    const int = (name) => {
      const n = Number.parseInt(p.get(name) || "", 10);
      return Number.isFinite(n) && n > 0 ? n : null;
    };
    const line = int("line");
    const end = int("end");
    return {
      source: p.get("source") || "",
      line,
      end: line && end && end >= line ? end : line,
      page: int("page"),
    };
  }

  function targetUrl(target) {
    const p = new URLSearchParams({ source: target.source });
    if (target.page) p.set("page", String(target.page));
    if (target.line) p.set("line", String(target.line));
    if (target.end && target.end !== target.line) p.set("end", String(target.end));
    return `/documents?${p}`;
  }

  // ---- list ---------------------------------------------------------------------------

  let documents = null; // null until GET /v1/documents answers
  let current = null; // {source} of the document whose lines are rendered

  function renderList(activeSource) {
    if (documents === null) return;
    if (!documents.length) {
      els.list.replaceChildren(h("li", { class: "empty", text: "Chưa có tài liệu nào được lập chỉ mục." }));
      return;
    }
    els.list.replaceChildren(
      ...documents.map((d) => {
        const meta = [KIND[d.kind] || d.kind, d.number, formatDate(d.date), d.line_count ? `${d.line_count} dòng` : ""]
          .filter(Boolean)
          .join(" · ");
        return h(
          "li",
          {},
          h(
            "a",
            {
              href: targetUrl({ source: d.source }),
              "data-testid": "doc-item",
              "data-source": d.source,
              "aria-current": d.source === activeSource ? "true" : null,
              onclick: (e) => {
                if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                e.preventDefault();
                window.history.pushState(null, "", targetUrl({ source: d.source }));
                show(readTarget());
              },
            },
            h("span", { class: "doc-title", text: d.title || d.source }),
            h("span", { class: "meta", text: meta }),
          ),
        );
      }),
    );
  }

  // ---- viewer -------------------------------------------------------------------------

  function renderHead(doc) {
    els.title.textContent = doc.title || doc.source;
    const fields = [
      ["Cơ quan ban hành", doc.issuer],
      ["Số hiệu", doc.number],
      ["Ngày", formatDate(doc.date)],
      ["Loại", KIND[doc.kind] || doc.kind],
      ["Tệp", doc.source],
    ].filter(([, v]) => v);
    const dl = h("dl", {}, ...fields.flatMap(([k, v]) => [h("div", {}, h("dt", { text: `${k}:` }), h("dd", { text: v }))]));
    els.hint.replaceChildren(dl);
  }

  function lineId(line) {
    return line.page !== null && line.page !== undefined ? `p${line.page}-L${line.n}` : `L${line.n}`;
  }

  function renderLines(source, lines) {
    const items = [];
    let lastPage;
    for (const line of lines) {
      if (line.page !== null && line.page !== undefined && line.page !== lastPage) {
        items.push(h("li", { class: "page-break", "aria-hidden": "true", text: `Trang ${line.page}` }));
        if (line.ocr_confidence !== null && line.ocr_confidence !== undefined) {
          // Text read from a scan may hold misread characters: the reader should know.
          const percent = Math.round(line.ocr_confidence * 100);
          items.push(h("li", { class: "page-break ocr-note", text: `Trang quét, chữ đọc bằng OCR (độ tin cậy ${percent}%)` }));
        }
        lastPage = line.page;
      }
      const href = targetUrl({ source, page: line.page, line: line.n });
      const number = h("a", { class: "ln", href, "aria-label": `Dòng ${line.n}`, text: String(line.n) });
      number.addEventListener("click", (e) => {
        e.preventDefault();
        const target = { source, page: line.page ?? null, line: line.n, end: line.n };
        window.history.replaceState(null, "", targetUrl(target));
        highlight(target, false);
      });
      const li = h(
        "li",
        { id: lineId(line), "data-testid": "doc-line", "data-n": line.n, "data-page": line.page ?? null },
        number,
        // Corpus exports mix NFC and NFD; NFD marks render detached in many fonts.
        h("span", { class: "lt", text: (line.text || " ").normalize("NFC") }),
      );
      items.push(li);
    }
    els.lines.replaceChildren(...items);
  }

  function highlight(target, scroll = true) {
    for (const li of els.lines.querySelectorAll("li.hl")) {
      li.classList.remove("hl");
      li.setAttribute("data-testid", "doc-line");
    }
    if (!target.line) return;
    let first = null;
    for (const li of els.lines.querySelectorAll("li[data-n]")) {
      const n = Number(li.dataset.n);
      if (n < target.line || n > target.end) continue;
      if (target.page && li.dataset.page && Number(li.dataset.page) !== target.page) continue;
      li.classList.add("hl");
      li.setAttribute("data-testid", "doc-line-highlight");
      first = first || li;
    }
    if (first && scroll) {
      // Lines use content-visibility:auto, so heights above the target are estimates until
      // rendered: scroll, let the browser lay out what became visible, then scroll again.
      first.scrollIntoView({ block: "center" });
      requestAnimationFrame(() => requestAnimationFrame(() => first.scrollIntoView({ block: "center" })));
    }
  }

  let generation = 0;

  async function show(target) {
    renderList(target.source);
    if (!target.source) return;
    const mine = ++generation;
    showError("");
    if (current && current.source === target.source) {
      highlight(target);
      return;
    }
    els.viewer.setAttribute("aria-busy", "true");
    els.title.textContent = "Đang tải tài liệu…";
    els.hint.replaceChildren();
    els.lines.replaceChildren();
    try {
      const body = await getJson(`/v1/documents/${encodeURIComponent(target.source)}`);
      if (mine !== generation) return;
      renderHead(body.document || { source: target.source });
      renderLines(target.source, body.lines || []);
      current = { source: target.source };
      document.title = `${(body.document && body.document.title) || target.source} — Đề án 06`;
      highlight(target);
    } catch (err) {
      if (mine !== generation) return;
      current = null;
      els.title.textContent = target.source;
      showError(err.message || ERRORS.generic);
    } finally {
      if (mine === generation) els.viewer.setAttribute("aria-busy", "false");
    }
  }

  async function init() {
    const target = readTarget();
    const listing = getJson("/v1/documents")
      .then((body) => {
        documents = Array.isArray(body.documents) ? body.documents : [];
        renderList(readTarget().source);
      })
      .catch((err) => {
        els.list.replaceChildren(h("li", { class: "empty", text: err.message || ERRORS.generic }));
      });
    await Promise.all([listing, show(target)]);
  }

  window.addEventListener("popstate", () => show(readTarget()));
  init();
})();
