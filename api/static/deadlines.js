/*
 * Deadlines view: filters -> GET /v1/tasks | /v1/tasks/upcoming | /v1/tasks/overdue -> table.
 * Filters live in the query string so a view can be bookmarked or shared.
 * Server text is always rendered with textContent.
 */
(() => {
  "use strict";

  const TASK_PREVIEW_CHARS = 180;
  const STATUS = {
    "hoàn thành": { label: "Hoàn thành", css: "status-done" },
    "chưa hoàn thành": { label: "Chưa hoàn thành", css: "status-open" },
    "đang triển khai": { label: "Đang triển khai", css: "status-progress" },
    "thường xuyên": { label: "Thường xuyên", css: "status-recurring" },
    unknown: { label: "Chưa rõ", css: "status-unknown" },
  };
  const DONE = "hoàn thành";
  const COLUMNS = ["Thời hạn", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Tình trạng", "Nguồn"];
  const ERRORS = {
    ...window.DA06Page.ERRORS,
    auth: "Bạn không có quyền xem dữ liệu này hoặc phiên làm việc đã hết hạn. Vui lòng tải lại trang.",
  };

  const $ = (id) => document.getElementById(id);
  const els = {
    form: $("filters"),
    unit: $("unit"),
    role: $("role"),
    status: $("status"),
    mode: $("mode"),
    days: $("days"),
    asof: $("asof"),
    q: $("q"),
    group: $("group"),
    summary: $("summary"),
    ics: $("ics"),
    error: $("error"),
    suggestions: $("suggestions"),
    conflicts: $("conflicts"),
    reportTemplate: $("report-template"),
    reportDocx: $("report-docx"),
    reportCsv: $("report-csv"),
    table: $("tasks"),
    body: document.querySelector("#tasks tbody"),
  };

  // ---- helpers (the shared ones come from common.js) -----------------------------------

  const { h, formatDate } = window.DA06Page;
  const getJson = (path) => window.DA06Page.getJson(path, ERRORS);

  /** Lowercase without diacritics, as the server folds text for matching. */
  function fold(text) {
    return (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase();
  }

  function todayIso() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  function parseIso(iso) {
    if (!iso) return null;
    const [y, m, d] = iso.split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  }

  function daysBetween(fromIso, toIso) {
    return Math.round((parseIso(toIso) - parseIso(fromIso)) / 86400000);
  }

  function documentLink(task) {
    const params = new URLSearchParams({ source: task.source });
    if (task.page !== null && task.page !== undefined) params.set("page", String(task.page));
    params.set("line", String(task.line_start));
    if (task.line_end && task.line_end !== task.line_start) params.set("end", String(task.line_end));
    return `/documents?${params}`;
  }

  function shortTitle(title, max = 48) {
    const t = (title || "").trim();
    if (t.length <= max) return t;
    const cut = t.slice(0, max);
    const space = cut.lastIndexOf(" ");
    return `${(space > 20 ? cut.slice(0, space) : cut).replace(/[\s,:;–-]+$/, "")}…`;
  }

  // ---- state <-> URL ------------------------------------------------------------------

  function readState() {
    return {
      unit: els.unit.value,
      role: els.role.value,
      status: els.status.value,
      mode: els.mode.value,
      days: Math.max(1, Number.parseInt(els.days.value, 10) || 30),
      asOf: els.asof.value || todayIso(),
      q: els.q.value.trim(),
      group: els.group.value,
    };
  }

  function applyUrl() {
    const p = new URLSearchParams(window.location.search);
    const setSelect = (select, value) => {
      if (!value) return;
      if (![...select.options].some((o) => o.value === value)) {
        select.append(h("option", { value, text: value }));
      }
      select.value = value;
    };
    setSelect(els.unit, p.get("unit"));
    setSelect(els.role, p.get("role"));
    setSelect(els.status, p.get("status"));
    setSelect(els.mode, p.get("mode"));
    setSelect(els.group, p.get("group"));
    if (p.get("days")) els.days.value = p.get("days");
    els.asof.value = p.get("as_of") || todayIso();
    if (p.get("q")) els.q.value = p.get("q");
  }

  function writeUrl(state) {
    const p = new URLSearchParams();
    if (state.unit) p.set("unit", state.unit);
    if (state.role) p.set("role", state.role);
    if (state.status) p.set("status", state.status);
    if (state.mode !== "all") p.set("mode", state.mode);
    if (state.mode === "upcoming") p.set("days", String(state.days));
    if (state.asOf !== todayIso()) p.set("as_of", state.asOf);
    if (state.q) p.set("q", state.q);
    if (state.group !== "deadline") p.set("group", state.group);
    const query = p.toString();
    window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  }

  // ---- data ---------------------------------------------------------------------------

  function requestPath(state) {
    const p = new URLSearchParams();
    if (state.unit) p.set("unit", state.unit);
    if (state.mode === "upcoming") {
      p.set("days", String(state.days));
      p.set("as_of", state.asOf);
      return `/v1/tasks/upcoming?${p}`;
    }
    if (state.mode === "overdue") {
      p.set("as_of", state.asOf);
      return `/v1/tasks/overdue?${p}`;
    }
    if (state.role && state.unit) p.set("role", state.role);
    if (state.status) p.set("status", state.status);
    if (state.q) p.set("q", state.q);
    return `/v1/tasks?${p}`;
  }

  function mentions(units, unit) {
    const wanted = fold(unit);
    return (units || []).some((u) => fold(u).includes(wanted));
  }

  /** upcoming/overdue take only unit and dates; the other filters are applied here. */
  function clientFilter(tasks, state) {
    if (state.mode === "all") return tasks;
    const words = fold(state.q).split(/\s+/).filter(Boolean);
    return tasks.filter((t) => {
      if (state.status && t.status !== state.status) return false;
      if (state.unit && state.role === "lead" && !mentions(t.lead_units, state.unit)) return false;
      if (state.unit && state.role === "coordinating" && !mentions(t.coordinating_units, state.unit)) {
        return false;
      }
      if (words.length) {
        const hay = fold([t.text, t.section, t.product, (t.lead_units || []).join(" ")].join(" "));
        if (!words.every((w) => hay.includes(w))) return false;
      }
      return true;
    });
  }

  function byDeadline(a, b) {
    const ea = a.deadline && a.deadline.end;
    const eb = b.deadline && b.deadline.end;
    if (ea !== eb) {
      if (!ea) return 1;
      if (!eb) return -1;
      return ea < eb ? -1 : 1;
    }
    if (a.source !== b.source) return a.source < b.source ? -1 : 1;
    return (a.line_start || 0) - (b.line_start || 0);
  }

  // ---- rendering ----------------------------------------------------------------------

  function deadlineCell(task, state) {
    const d = task.deadline || {};
    const cell = h("td", { "data-label": COLUMNS[0] }, h("span", { class: "deadline-text", text: d.text || "—" }));
    if (conflictFields.has(task.id)) {
      cell.append(h("span", { class: "conflict-mark", "data-testid": "conflict-mark", text: `⚠ ${conflictTitle(conflictFields.get(task.id))}` }));
    }
    if (d.end && d.kind !== "recurring") {
      cell.append(h("span", { class: "deadline-date", text: `đến ${formatDate(d.end)}` }));
      const left = daysBetween(state.asOf, d.end);
      const datable = d.kind === "date" || d.kind === "range";
      if (datable && task.status !== DONE && left < 0) {
        cell.append(h("span", { class: "deadline-date late", text: `Quá hạn ${-left} ngày` }));
      } else if (datable && task.status !== DONE && left <= state.days && state.mode === "upcoming") {
        cell.append(h("span", { class: "deadline-date", text: left === 0 ? "Đến hạn hôm nay" : `Còn ${left} ngày` }));
      }
    }
    return cell;
  }

  function taskCell(task) {
    const full = task.text || "";
    const long = full.length > TASK_PREVIEW_CHARS;
    const preview = long ? `${full.slice(0, TASK_PREVIEW_CHARS).replace(/\s+\S*$/, "")}…` : full;
    const text = h("p", { class: "task-text", text: preview });
    const extra = h("div", { hidden: true });
    if (task.product) extra.append(h("p", { class: "meta", text: `Sản phẩm: ${task.product}` }));
    if (task.result) extra.append(h("p", { class: "meta", text: `Kết quả: ${task.result}` }));
    if (task.directives && task.directives.length) {
      extra.append(h("p", { class: "meta", text: `Văn bản chỉ đạo: ${task.directives.join("; ")}` }));
    }
    const metaParts = [task.section, task.row ? `STT ${task.row}` : ""].filter(Boolean);
    const cell = h(
      "td",
      { "data-label": COLUMNS[1] },
      text,
      metaParts.length ? h("p", { class: "meta", text: metaParts.join(" · ") }) : null,
      extra,
    );
    if (long || extra.childNodes.length) {
      const toggle = h("button", {
        type: "button",
        class: "btn-link",
        "aria-expanded": "false",
        text: "Xem đầy đủ",
        onclick: () => {
          const open = toggle.getAttribute("aria-expanded") !== "true";
          toggle.setAttribute("aria-expanded", String(open));
          toggle.textContent = open ? "Thu gọn" : "Xem đầy đủ";
          text.textContent = open ? full : preview;
          extra.hidden = !open;
        },
      });
      cell.append(toggle);
    }
    return cell;
  }

  function unitsCell(units, label) {
    if (!units || !units.length) return h("td", { "data-label": label, text: "—" });
    return h("td", { "data-label": label }, h("ul", { class: "units" }, ...units.map((u) => h("li", { text: u }))));
  }

  // ---- rows that disagree with the same task in another document (GET /v1/conflicts) ----

  const CONFLICT_WORDS = { deadline: "thời hạn", lead: "đơn vị chủ trì", status: "tình trạng" };
  const conflictFields = new Map();

  function conflictTitle(fields) {
    return `Văn bản khác ghi khác về ${[...fields].map((f) => CONFLICT_WORDS[f] || f).join(", ")}`;
  }

  async function loadConflicts() {
    try {
      const body = await getJson("/v1/conflicts");
      for (const c of body.conflicts || []) {
        for (const id of [c.task.id, c.other.id]) {
          if (!conflictFields.has(id)) conflictFields.set(id, new Set());
          conflictFields.get(id).add(c.field);
        }
      }
      els.conflicts.textContent =
        `${conflictFields.size} dòng nhiệm vụ ghi khác với cùng nhiệm vụ ở văn bản khác ` +
        "(thời hạn, đơn vị chủ trì hoặc tình trạng); các dòng này được đánh dấu ⚠.";
      els.conflicts.hidden = conflictFields.size === 0;
    } catch (_) {
      /* the table still works without the marks */
    }
  }

  // ---- report drafts (GET /v1/reports/{template}) --------------------------------------

  function reportPath(state, format) {
    const p = new URLSearchParams({ format, as_of: state.asOf });
    if (state.unit) p.set("unit", state.unit);
    return `/v1/reports/${els.reportTemplate.value}?${p}`;
  }

  function updateReportLinks(state) {
    els.reportDocx.href = reportPath(state, "docx");
    els.reportCsv.href = reportPath(state, "csv");
  }

  /** Downloads go through fetch so a page token (meta da06-token) is sent like API calls. */
  async function download(event) {
    const meta = document.querySelector('meta[name="da06-token"]');
    const token = meta && meta.getAttribute("content");
    if (!token) return; // the plain link works when the API needs no token
    event.preventDefault();
    const link = event.currentTarget;
    const res = await fetch(link.href, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) {
      els.error.textContent = ERRORS.generic;
      els.error.hidden = false;
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = h("a", { href: url, download: "" });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  }

  function statusCell(task) {
    const s = STATUS[task.status] || { label: task.status || "Chưa rõ", css: "status-unknown" };
    return h("td", { "data-label": COLUMNS[4] }, h("span", { class: `status-badge ${s.css}`, text: s.label }));
  }

  function sourceCell(task) {
    const lines = task.line_end && task.line_end !== task.line_start
      ? `dòng ${task.line_start}–${task.line_end}`
      : `dòng ${task.line_start}`;
    return h(
      "td",
      { "data-label": COLUMNS[5] },
      h("span", { class: "meta", text: shortTitle(task.title || task.source), title: task.title || task.source }),
      h("br"),
      h("a", { class: "source-link", href: documentLink(task), text: lines }),
    );
  }

  function taskRow(task, state) {
    const disagreements = conflictFields.get(task.id);
    return h(
      "tr",
      {
        class: disagreements ? "task conflict" : "task",
        "data-testid": "task-row",
        "data-task-id": task.id,
        "data-conflict": disagreements ? [...disagreements].join(" ") : null,
        title: disagreements ? conflictTitle(disagreements) : null,
      },
      deadlineCell(task, state),
      taskCell(task),
      unitsCell(task.lead_units, COLUMNS[2]),
      unitsCell(task.coordinating_units, COLUMNS[3]),
      statusCell(task),
      sourceCell(task),
    );
  }

  function groupsByLeadUnit(tasks, selected) {
    const groups = new Map();
    for (const task of tasks) {
      const leads = task.lead_units && task.lead_units.length ? task.lead_units : ["Chưa xác định đơn vị chủ trì"];
      for (const unit of leads) {
        if (!groups.has(unit)) groups.set(unit, []);
        groups.get(unit).push(task);
      }
    }
    // The unit the user filtered on comes first; co-leading units follow alphabetically.
    const rank = (name) => (selected && fold(name) === fold(selected) ? 0 : 1);
    return [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0], "vi"));
  }

  function render(tasks, state) {
    const rows = [];
    if (!tasks.length) {
      rows.push(h("tr", {}, h("td", { class: "empty", colspan: "6", text: "Không có nhiệm vụ phù hợp với bộ lọc." })));
    } else if (state.group === "unit") {
      for (const [unit, group] of groupsByLeadUnit(tasks, state.unit)) {
        rows.push(
          h(
            "tr",
            { class: "group" },
            h("th", { colspan: "6", scope: "colgroup" }, unit, h("span", { class: "count", text: ` · ${group.length} nhiệm vụ` })),
          ),
        );
        for (const task of group) rows.push(taskRow(task, state));
      }
    } else {
      for (const task of tasks) rows.push(taskRow(task, state));
    }
    els.body.replaceChildren(...rows);
  }

  function summaryText(count, state) {
    const who = state.unit ? ` của ${state.unit}` : "";
    if (state.mode === "upcoming") {
      return `${count} nhiệm vụ${who} đến hạn trong ${state.days} ngày tính từ ${formatDate(state.asOf)}`;
    }
    if (state.mode === "overdue") return `${count} nhiệm vụ${who} đã quá hạn tính đến ${formatDate(state.asOf)}`;
    return `${count} nhiệm vụ${who}`;
  }

  function updateIcsLink(state) {
    if (state.unit) {
      els.ics.href = `/v1/tasks.ics?${new URLSearchParams({ unit: state.unit })}`;
      els.ics.textContent = "Tải lịch (.ics) của đơn vị";
    } else {
      els.ics.href = "/v1/tasks.ics";
      els.ics.textContent = "Tải lịch (.ics) tất cả nhiệm vụ";
    }
  }

  function showSuggestions(names) {
    if (!names || !names.length) {
      els.suggestions.hidden = true;
      return;
    }
    els.suggestions.replaceChildren(
      document.createTextNode("Không tìm thấy đơn vị này. Có phải bạn muốn chọn: "),
      ...names.slice(0, 5).flatMap((name, i) => [
        i ? document.createTextNode(", ") : null,
        h("button", {
          type: "button",
          class: "btn-link",
          text: name,
          onclick: () => {
            if (![...els.unit.options].some((o) => o.value === name)) {
              els.unit.append(h("option", { value: name, text: name }));
            }
            els.unit.value = name;
            refresh();
          },
        }),
      ].filter(Boolean)),
    );
    els.suggestions.hidden = false;
  }

  let generation = 0;

  async function refresh() {
    const state = readState();
    const mine = ++generation;
    writeUrl(state);
    updateIcsLink(state);
    updateReportLinks(state);
    els.days.disabled = state.mode !== "upcoming";
    els.role.disabled = !state.unit;
    els.table.setAttribute("aria-busy", "true");
    els.summary.textContent = "Đang tải…";
    els.error.hidden = true;
    try {
      const body = await getJson(requestPath(state));
      if (mine !== generation) return; // a newer filter change already won
      const tasks = clientFilter(Array.isArray(body.tasks) ? body.tasks : [], state).sort(byDeadline);
      render(tasks, state);
      showSuggestions(body.suggestions);
      els.summary.textContent = summaryText(tasks.length, state);
    } catch (err) {
      if (mine !== generation) return;
      els.body.replaceChildren();
      els.summary.textContent = "";
      els.error.textContent = err.message || ERRORS.generic;
      els.error.hidden = false;
    } finally {
      if (mine === generation) els.table.setAttribute("aria-busy", "false");
    }
  }

  async function loadUnits() {
    try {
      const body = await getJson("/v1/units");
      const selected = els.unit.value;
      const units = (body.units || []).slice().sort((a, b) => a.name.localeCompare(b.name, "vi"));
      const options = units.map((u) =>
        h("option", { value: u.name, text: u.total ? `${u.name} (${u.total})` : u.name }),
      );
      els.unit.replaceChildren(els.unit.options[0], ...options);
      if (selected && !units.some((u) => u.name === selected)) {
        els.unit.append(h("option", { value: selected, text: selected }));
      }
      els.unit.value = selected;
    } catch (err) {
      els.error.textContent = err.message || ERRORS.generic;
      els.error.hidden = false;
    }
  }

  let searchTimer = null;
  els.form.addEventListener("change", (e) => {
    if (e.target === els.q) return;
    refresh();
  });
  els.q.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(refresh, 300);
  });
  els.form.addEventListener("submit", (e) => {
    e.preventDefault();
    refresh();
  });

  els.reportTemplate.addEventListener("change", () => updateReportLinks(readState()));
  els.reportDocx.addEventListener("click", download);
  els.reportCsv.addEventListener("click", download);

  applyUrl();
  els.unit.setAttribute("aria-busy", "true");
  loadUnits().finally(() => {
    els.unit.setAttribute("aria-busy", "false");
    els.unit.dataset.loaded = "true";
  });
  // Conflict marks arrive with the first table or just after it; redraw once they are known.
  loadConflicts().then(() => {
    if (conflictFields.size) refresh();
  });
  refresh();
})();
