/*
 * Trợ lý Đề án 06 — embeddable chat widget.
 *
 * Usage on any page (no build step, no external requests besides the API):
 *   <script src="https://da06.example/widget.js" defer></script>
 *   <da06-chat></da06-chat>
 *
 * Attributes of <da06-chat>:
 *   api-base     API origin (optionally with a path prefix). Default: origin of this script's src.
 *   token        short-lived widget token, sent as "Authorization: Bearer <token>".
 *                The host page may replace it at any time; on 401 the element fires
 *                "da06-token-expired" (bubbles, composed) so the page can fetch a new one.
 *   token-url    portal URL returning {"token": "...", "expires_at": "ISO"}; fetched with the
 *                page's cookies, refreshed shortly before expiry and once after a 401.
 *   token-method HTTP method for token-url (default POST).
 *   public       send no Authorization header at all.
 * With none of these, a <meta name="da06-token" content="..."> on the page is used if present.
 * Long-lived API keys never belong in page source: use token or token-url.
 *
 * Theming: set CSS custom properties on the element, e.g.
 *   da06-chat { --da06-accent: #a31d24; --da06-z: 1000; }
 *
 * Security: every piece of server text is rendered with textContent, never as HTML.
 */
(() => {
  "use strict";

  // document.currentScript is only set while this file first runs, so capture it now.
  const SCRIPT_ORIGIN = (() => {
    try {
      const script = document.currentScript;
      if (script && script.src) return new URL(script.src, window.location.href).origin;
    } catch (_) {
      /* fall through */
    }
    return window.location.origin;
  })();

  if (window.customElements.get("da06-chat")) return;

  const TEXT = {
    title: "Trợ lý Đề án 06",
    subtitle: "Hỏi đáp có trích dẫn văn bản",
    launcher: "Hỏi Đề án 06",
    openLabel: "Mở Trợ lý Đề án 06",
    closeLabel: "Đóng Trợ lý Đề án 06",
    close: "Đóng",
    newChat: "Mới",
    newChatLabel: "Bắt đầu cuộc trò chuyện mới",
    placeholder: "Nhập câu hỏi…",
    inputLabel: "Câu hỏi của bạn",
    send: "Gửi",
    welcome:
      "Xin chào! Tôi trả lời câu hỏi về Đề án 06 dựa trên các văn bản đã được lập chỉ mục, kèm trích dẫn nguồn.",
    suggestionsTitle: "Câu hỏi gợi ý",
    thinking: "Đang tìm trong văn bản…",
    sources: "Nguồn:",
    nearest: "Đoạn văn bản gần nhất:",
    abstainedBadge: "Không có trong tài liệu",
    copy: "Sao chép",
    copyLabel: "Sao chép câu trả lời",
    copied: "Đã sao chép",
    copyFailed: "Không sao chép được",
    back: "← Quay lại",
    backLabel: "Quay lại cuộc trò chuyện",
    openDocument: "Mở tài liệu",
    loadingDocument: "Đang tải tài liệu…",
    line: "dòng",
    lineCap: "Dòng",
    page: "tr.",
    section: "Mục:",
    // Cited text read by OCR from a scan may hold misread characters: say so, with its confidence.
    ocr: (c) =>
      c.ocr_confidence !== null && c.ocr_confidence !== undefined
        ? `chữ đọc bằng OCR từ bản quét (độ tin cậy ${Math.round(c.ocr_confidence * 100)}%)`
        : "chữ đọc bằng OCR từ bản quét",
    footer: "Câu trả lời trích từ văn bản; hãy kiểm tra nguồn trước khi sử dụng.",
    citationLabel: (c) =>
      `Xem trích dẫn ${c.id}: ${c.title || c.source}, dòng ${c.line_start} đến ${c.line_end}`,
    errors: {
      network: "Không kết nối được với máy chủ. Vui lòng kiểm tra kết nối mạng và thử lại.",
      auth: "Phiên làm việc đã hết hạn hoặc bạn không có quyền truy cập. Vui lòng tải lại trang.",
      rate: (s) =>
        s
          ? `Bạn đã gửi quá nhiều câu hỏi. Vui lòng thử lại sau ${s} giây.`
          : "Bạn đã gửi quá nhiều câu hỏi. Vui lòng thử lại sau ít phút.",
      server: "Hệ thống đang bận hoặc gặp sự cố. Vui lòng thử lại sau.",
      notFound: "Không tìm thấy tài liệu được trích dẫn.",
      interrupted: "Kết nối bị gián đoạn trước khi trả lời xong. Vui lòng thử lại.",
      generic: "Đã xảy ra lỗi. Vui lòng thử lại.",
    },
  };

  const PASSAGE_CONTEXT_LINES = 3;
  const SHORT_TITLE_CHARS = 34;
  // Refresh a portal token this long before it expires (capped at a fifth of its lifetime).
  const TOKEN_REFRESH_MARGIN_MS = 60000;

  const STYLE = `
:host { all: initial; }
:host { --_accent: var(--da06-accent, #0b4ea2); --_accent-dark: var(--da06-accent-dark, #083a7a);
  --_on-accent: var(--da06-on-accent, #fff); --_z: var(--da06-z, 2147483000);
  --_font: var(--da06-font, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif); }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.root { font-family: var(--_font); font-size: 14px; line-height: 1.5; color: #1c2430; }
button { font: inherit; cursor: pointer; }
:focus-visible { outline: 3px solid #f5b400; outline-offset: 2px; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: var(--_z); display: inline-flex;
  align-items: center; gap: 8px; padding: 12px 18px; border: 0; border-radius: 999px;
  background: var(--_accent); color: var(--_on-accent); font-weight: 600; font-size: 15px;
  box-shadow: 0 6px 20px rgba(10, 30, 60, .28); }
.launcher:hover { background: var(--_accent-dark); }
.launcher svg { width: 22px; height: 22px; flex: none; }
.panel { position: fixed; right: 20px; bottom: 84px; z-index: var(--_z); width: 400px;
  height: min(640px, calc(100vh - 110px)); display: flex; flex-direction: column; background: #fff;
  border: 1px solid #c9d3e0; border-radius: 12px; overflow: hidden;
  box-shadow: 0 12px 40px rgba(10, 30, 60, .30); }
.header { display: flex; align-items: center; gap: 8px; padding: 12px 14px; background: var(--_accent);
  color: var(--_on-accent); border-bottom: 3px solid #d62f2f; }
.header .titles { flex: 1; min-width: 0; }
.header h2 { margin: 0; font-size: 16px; font-weight: 700; }
.header p { margin: 0; font-size: 12px; opacity: .9; }
.hbtn { border: 1px solid rgba(255,255,255,.55); background: transparent; color: var(--_on-accent);
  border-radius: 6px; padding: 4px 10px; font-size: 13px; }
.hbtn:hover { background: rgba(255,255,255,.15); }
.body { flex: 1; min-height: 0; position: relative; display: flex; flex-direction: column; }
.log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 12px;
  background: #f5f7fa; }
.welcome { background: #fff; border: 1px solid #dbe2ec; border-radius: 10px; padding: 12px; }
.welcome p { margin: 0 0 8px; }
.welcome h3 { margin: 8px 0 6px; font-size: 13px; color: #4a5668; font-weight: 600; }
.suggestions { display: flex; flex-direction: column; gap: 6px; }
.suggestion { text-align: left; border: 1px solid #c5d3e8; background: #eef3fb; color: var(--_accent-dark);
  border-radius: 8px; padding: 8px 10px; }
.suggestion:hover { background: #dde8f7; }
.msg { max-width: 92%; border-radius: 10px; padding: 10px 12px; word-wrap: break-word; overflow-wrap: anywhere; }
.msg.user { align-self: flex-end; background: var(--_accent); color: var(--_on-accent); white-space: pre-wrap; }
.msg.bot { align-self: flex-start; background: #fff; border: 1px solid #dbe2ec; }
.msg.bot .text { white-space: pre-wrap; }
.msg.bot.abstained { background: #f7f7f4; border: 1px dashed #b9b6a5; color: #4b4a42; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; letter-spacing: .02em;
  padding: 1px 8px; border-radius: 999px; background: #ebe8d9; color: #5d5a45; margin-bottom: 6px; }
.msg.error { align-self: stretch; max-width: 100%; background: #fdecec; border: 1px solid #f1b5b5;
  color: #8a1c1c; }
.thinking { color: #5b6678; font-style: italic; }
.ref { border: 0; background: none; padding: 0 1px; color: var(--_accent); font-weight: 600;
  text-decoration: underline; font-size: inherit; }
.cites-label { margin: 10px 0 4px; font-size: 12px; color: #5b6678; }
.cites { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { border: 1px solid #c5d3e8; background: #eef3fb; color: var(--_accent-dark); border-radius: 6px;
  padding: 3px 8px; font-size: 12px; text-align: left; max-width: 100%; }
.chip:hover { background: #dde8f7; }
.abstained .chip { background: #f1f0ea; border-color: #d4d1c1; color: #4b4a42; }
.note { margin-top: 8px; font-size: 12px; color: #6a5b1c; background: #fff8e1; border-radius: 6px; padding: 4px 8px; }
.actions { margin-top: 8px; display: flex; justify-content: flex-end; }
.copy { border: 1px solid #d0d7e2; background: #fff; color: #3d4a5c; border-radius: 6px; padding: 2px 10px; font-size: 12px; }
.copy:hover { background: #f0f3f7; }
.composer { display: flex; gap: 8px; align-items: flex-end; padding: 10px 12px 6px; border-top: 1px solid #dbe2ec; background: #fff; }
.composer textarea { flex: 1; resize: none; font: inherit; font-size: 14px; line-height: 1.4; padding: 8px 10px;
  border: 1px solid #aab6c7; border-radius: 8px; max-height: 120px; min-height: 40px; color: inherit; }
.composer textarea:focus { border-color: var(--_accent); outline: 2px solid rgba(11, 78, 162, .25); }
.send { border: 0; border-radius: 8px; background: var(--_accent); color: var(--_on-accent); font-weight: 600;
  padding: 9px 16px; }
.send:disabled { background: #9aa7b8; cursor: not-allowed; }
.disclaimer { margin: 0; padding: 0 12px 8px; font-size: 11px; color: #6b7585; background: #fff; }
.passage { position: absolute; inset: 0; background: #fff; display: flex; flex-direction: column; }
.passage-head { padding: 10px 14px; border-bottom: 1px solid #dbe2ec; }
.passage-head h3 { margin: 8px 0 2px; font-size: 15px; line-height: 1.35; }
.passage-head h3:focus { outline: none; }
.passage-meta { margin: 0; font-size: 12px; color: #5b6678; }
.back { border: 1px solid #c5d3e8; background: #fff; color: var(--_accent-dark); border-radius: 6px; padding: 3px 10px; font-size: 13px; }
.lines { flex: 1; overflow: auto; margin: 0; padding: 8px 0; list-style: none; font-size: 13px; line-height: 20px; }
.lines li { display: flex; gap: 10px; padding: 1px 14px 1px 0; }
.lines .n { flex: none; width: 44px; text-align: right; color: #7a8596; user-select: none; font-variant-numeric: tabular-nums; }
.lines .t { white-space: pre-wrap; tab-size: 2; overflow-wrap: anywhere; min-width: 0; }
.lines li.hl { background: #fff3c4; box-shadow: inset 4px 0 0 #e0a800; }
.lines li.hl .n { color: #6a5200; font-weight: 700; }
.lines li.page { color: #5b6678; font-style: italic; padding-left: 62px; }
.passage-foot { padding: 10px 14px; border-top: 1px solid #dbe2ec; display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.open-doc { color: var(--_accent); font-weight: 600; }
.status { padding: 14px; color: #5b6678; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); border: 0; }
@media (max-width: 520px) {
  .panel { right: 0; bottom: 0; width: 100vw; height: 100vh; height: 100dvh; border-radius: 0; border: 0; }
  .launcher { right: 12px; bottom: 12px; }
  :host([data-open]) .launcher { display: none; }
}
@media (prefers-reduced-motion: no-preference) {
  .panel { animation: da06-in .16s ease-out; }
  @keyframes da06-in { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
}
@media print { .launcher, .panel { display: none !important; } }
`;

  const ICON =
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z"/></svg>';

  /** Build an element; `props` are DOM properties/attributes, children are nodes or strings. */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }

  /** Server errors read "<Vietnamese> / <English>": show the Vietnamese half. */
  function vietnamesePart(detail) {
    if (typeof detail !== "string" || !detail.trim()) return "";
    return detail.split(" / ")[0].trim();
  }

  function retryAfterSeconds(value) {
    if (!value) return null;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
    const when = Date.parse(value);
    return Number.isNaN(when) ? null : Math.max(1, Math.ceil((when - Date.now()) / 1000));
  }

  class ApiError extends Error {
    constructor(kind, { status = 0, detail = "", retryAfter = null } = {}) {
      super(kind);
      this.kind = kind; // network | auth | rate | notFound | server | other | interrupted
      this.status = status;
      this.detail = detail;
      this.retryAfter = retryAfter;
    }

    userMessage() {
      const e = TEXT.errors;
      if (this.kind === "network") return e.network;
      if (this.kind === "auth") return e.auth;
      if (this.kind === "rate") return e.rate(this.retryAfter);
      if (this.kind === "notFound") return e.notFound;
      if (this.kind === "interrupted") return e.interrupted;
      if (this.kind === "server") return vietnamesePart(this.detail) || e.server;
      return vietnamesePart(this.detail) || e.generic;
    }
  }

  async function errorFromResponse(res) {
    let detail = "";
    try {
      const body = await res.json();
      detail = typeof body.detail === "string" ? body.detail : "";
    } catch (_) {
      /* non-JSON error body */
    }
    const init = { status: res.status, detail };
    if (res.status === 401 || res.status === 403) return new ApiError("auth", init);
    if (res.status === 429) {
      init.retryAfter = retryAfterSeconds(res.headers.get("Retry-After"));
      return new ApiError("rate", init);
    }
    if (res.status === 404) return new ApiError("notFound", init);
    if (res.status >= 500) return new ApiError("server", init);
    return new ApiError("other", init);
  }

  /**
   * Incremental Server-Sent Events parser. sse-starlette ends lines with CRLF, other
   * servers with LF; a CR at the end of a chunk may be half of a CRLF, so it waits.
   */
  function createSseParser(onEvent) {
    let buffer = "";
    let eventName = "";
    let data = [];

    function handleLine(line) {
      if (line === "") {
        if (data.length) onEvent(eventName || "message", data.join("\n"));
        eventName = "";
        data = [];
        return;
      }
      if (line.startsWith(":")) return; // comment / keep-alive ping
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") eventName = value;
      else if (field === "data") data.push(value);
    }

    return {
      push(chunk) {
        buffer += chunk;
        const re = /\r\n|\r|\n/g;
        let start = 0;
        let match;
        while ((match = re.exec(buffer))) {
          if (match[0] === "\r" && match.index === buffer.length - 1) break;
          handleLine(buffer.slice(start, match.index));
          start = re.lastIndex;
        }
        buffer = buffer.slice(start);
      },
      end() {
        if (buffer) handleLine(buffer.replace(/\r$/, ""));
        buffer = "";
        handleLine("");
      },
    };
  }

  function shortTitle(title) {
    const t = (title || "").trim();
    if (t.length <= SHORT_TITLE_CHARS) return t;
    const cut = t.slice(0, SHORT_TITLE_CHARS);
    const space = cut.lastIndexOf(" ");
    return `${(space > 16 ? cut.slice(0, space) : cut).replace(/[\s,:;–-]+$/, "")}…`;
  }

  function lineRange(c) {
    return c.line_end && c.line_end !== c.line_start
      ? `${c.line_start}–${c.line_end}`
      : `${c.line_start}`;
  }

  function citationLabel(c) {
    const page = c.page !== null && c.page !== undefined ? ` · ${TEXT.page} ${c.page}` : "";
    const ocr = c.ocr ? " · OCR" : "";
    return `[${c.id}] ${shortTitle(c.title || c.source)}${page} · ${TEXT.line} ${lineRange(c)}${ocr}`;
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (_) {
        /* permission denied: try the legacy path */
      }
    }
    // Legacy path: a selection inside a shadow root is unreliable, so use the light DOM.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.cssText = "position:fixed;top:-1000px;left:-1000px;opacity:0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (_) {
      ok = false;
    }
    area.remove();
    return ok;
  }

  class Da06Chat extends HTMLElement {
    static get observedAttributes() {
      return ["token", "token-url", "public", "api-base"];
    }

    constructor() {
      super();
      this._shadow = this.attachShadow({ mode: "open" });
      this._conversationId = null;
      this._portalToken = null; // {token, expiresAt}
      this._tokenPromise = null;
      this._docCache = new Map();
      this._suggestionsLoaded = false;
      this._busy = false;
      this._abort = null;
      this._cooldownTimer = null;
      this._lastChip = null;
      this._built = false;
    }

    connectedCallback() {
      if (!this._built) this._build();
    }

    disconnectedCallback() {
      if (this._abort) this._abort.abort();
      clearTimeout(this._cooldownTimer);
    }

    attributeChangedCallback(name, oldValue, newValue) {
      if (name === "token-url" && oldValue !== newValue) {
        this._portalToken = null;
        this._tokenPromise = null;
      }
    }

    get apiBase() {
      const base = (this.getAttribute("api-base") || SCRIPT_ORIGIN).trim();
      return base.replace(/\/+$/, "");
    }

    url(path) {
      return `${this.apiBase}${path}`;
    }

    // ---- auth -------------------------------------------------------------------------

    async _authorization() {
      if (this.hasAttribute("public")) return null;
      const token = this.getAttribute("token");
      if (token) return `Bearer ${token}`;
      if (this.getAttribute("token-url")) {
        const portal = await this._ensurePortalToken();
        return portal ? `Bearer ${portal.token}` : null;
      }
      const meta = document.querySelector('meta[name="da06-token"]');
      const metaToken = meta && meta.getAttribute("content");
      return metaToken ? `Bearer ${metaToken}` : null;
    }

    _portalTokenFresh() {
      const t = this._portalToken;
      if (!t) return false;
      if (!t.expiresAt) return true;
      const margin = Math.min(TOKEN_REFRESH_MARGIN_MS, (t.expiresAt - t.obtainedAt) / 5);
      return Date.now() < t.expiresAt - margin;
    }

    _ensurePortalToken(force = false) {
      if (!force && this._portalTokenFresh()) return Promise.resolve(this._portalToken);
      if (this._tokenPromise) return this._tokenPromise;
      const tokenUrl = new URL(this.getAttribute("token-url"), window.location.href).href;
      const method = (this.getAttribute("token-method") || "POST").toUpperCase();
      this._tokenPromise = (async () => {
        let res;
        try {
          res = await fetch(tokenUrl, {
            method,
            credentials: "include",
            headers: { Accept: "application/json" },
          });
        } catch (_) {
          throw new ApiError("network");
        }
        if (!res.ok) throw await errorFromResponse(res);
        const body = await res.json();
        if (!body || typeof body.token !== "string") throw new ApiError("auth");
        const expiresAt = body.expires_at ? Date.parse(body.expires_at) : NaN;
        this._portalToken = {
          token: body.token,
          obtainedAt: Date.now(),
          expiresAt: Number.isNaN(expiresAt) ? null : expiresAt,
        };
        return this._portalToken;
      })().finally(() => {
        this._tokenPromise = null;
      });
      return this._tokenPromise;
    }

    /** fetch() against the API with auth; retries once with a fresh portal token on 401. */
    async _api(path, init = {}, retried = false) {
      const headers = new Headers(init.headers || {});
      const auth = await this._authorization();
      if (auth) headers.set("Authorization", auth);
      let res;
      try {
        res = await fetch(this.url(path), { ...init, headers });
      } catch (err) {
        if (err && err.name === "AbortError") throw err;
        throw new ApiError("network");
      }
      if (res.status === 401 && !retried && this.getAttribute("token-url") && !this.hasAttribute("token")) {
        this._portalToken = null;
        await this._ensurePortalToken(true);
        return this._api(path, init, true);
      }
      if (res.status === 401) {
        this.dispatchEvent(new CustomEvent("da06-token-expired", { bubbles: true, composed: true }));
      }
      return res;
    }

    async _getJson(path) {
      const res = await this._api(path, { headers: { Accept: "application/json" } });
      if (!res.ok) throw await errorFromResponse(res);
      return res.json();
    }

    // ---- DOM --------------------------------------------------------------------------

    _build() {
      this._built = true;
      const style = h("style", { text: STYLE });
      const panelId = "da06-panel";
      const titleId = "da06-title";

      this._launcher = h("button", {
        class: "launcher",
        type: "button",
        "data-testid": "da06-launcher",
        "aria-label": TEXT.openLabel,
        "aria-expanded": "false",
        "aria-controls": panelId,
        onclick: () => (this._panel.hidden ? this.open() : this.close()),
      });
      this._launcher.innerHTML = ICON; // static markup, no server text
      this._launcher.append(h("span", { text: TEXT.launcher }));

      this._newButton = h("button", {
        class: "hbtn",
        type: "button",
        text: TEXT.newChat,
        "aria-label": TEXT.newChatLabel,
        title: TEXT.newChatLabel,
        onclick: () => this.reset(),
      });
      const closeButton = h("button", {
        class: "hbtn",
        type: "button",
        text: TEXT.close,
        "aria-label": TEXT.closeLabel,
        onclick: () => this.close(),
      });
      const header = h(
        "div",
        { class: "header" },
        h("div", { class: "titles" }, h("h2", { id: titleId, text: TEXT.title }), h("p", { text: TEXT.subtitle })),
        this._newButton,
        closeButton,
      );

      this._suggestionList = h("div", { class: "suggestions" });
      this._suggestionTitle = h("h3", { text: TEXT.suggestionsTitle, hidden: true });
      this._welcome = h(
        "div",
        { class: "welcome" },
        h("p", { text: TEXT.welcome }),
        this._suggestionTitle,
        this._suggestionList,
      );
      this._log = h(
        "div",
        { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": TEXT.title },
        this._welcome,
      );
      this._passage = h("section", {
        class: "passage",
        "data-testid": "da06-passage",
        "aria-label": "Đoạn văn bản được trích dẫn",
        hidden: true,
      });

      this._input = h("textarea", {
        rows: "1",
        maxlength: "2000",
        placeholder: TEXT.placeholder,
        "aria-label": TEXT.inputLabel,
        "data-testid": "da06-input",
        onkeydown: (e) => {
          // Vietnamese IMEs (Telex/VNI) compose with Enter pending: never submit mid-composition.
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
            e.preventDefault();
            this._submit();
          }
        },
        oninput: () => this._autosize(),
      });
      this._send = h("button", {
        class: "send",
        type: "submit",
        text: TEXT.send,
        "data-testid": "da06-send",
      });
      const form = h(
        "form",
        {
          class: "composer",
          onsubmit: (e) => {
            e.preventDefault();
            this._submit();
          },
        },
        this._input,
        this._send,
      );

      this._announcer = h("div", { class: "sr-only", "aria-live": "polite" });
      this._panel = h(
        "div",
        {
          class: "panel",
          id: panelId,
          role: "dialog",
          "aria-modal": "false",
          "aria-labelledby": titleId,
          "data-testid": "da06-panel",
          hidden: true,
          onkeydown: (e) => {
            if (e.key !== "Escape") return;
            e.stopPropagation();
            if (!this._passage.hidden) this._closePassage();
            else this.close();
          },
        },
        header,
        h("div", { class: "body" }, this._log, this._passage),
        form,
        h("p", { class: "disclaimer", text: TEXT.footer }),
        this._announcer,
      );

      this._shadow.append(style, h("div", { class: "root" }, this._panel, this._launcher));
    }

    _autosize() {
      this._input.style.height = "auto";
      this._input.style.height = `${Math.min(this._input.scrollHeight + 2, 120)}px`;
    }

    open() {
      this._panel.hidden = false;
      this.setAttribute("data-open", "");
      this._launcher.setAttribute("aria-expanded", "true");
      this._launcher.setAttribute("aria-label", TEXT.closeLabel);
      this._input.focus();
      if (!this._suggestionsLoaded) this._loadSuggestions();
    }

    close() {
      this._panel.hidden = true;
      this.removeAttribute("data-open");
      this._launcher.setAttribute("aria-expanded", "false");
      this._launcher.setAttribute("aria-label", TEXT.openLabel);
      this._launcher.focus();
    }

    /** Start a new conversation: forget the id and clear messages. */
    reset() {
      if (this._abort) this._abort.abort();
      this._conversationId = null;
      this._closePassage(false);
      for (const node of [...this._log.children]) if (node !== this._welcome) node.remove();
      this._welcome.hidden = false;
      this._setBusy(false);
      this._input.value = "";
      this._input.focus();
    }

    async _loadSuggestions() {
      this._suggestionsLoaded = true;
      let questions = [];
      try {
        const body = await this._getJson("/v1/suggestions");
        questions = Array.isArray(body.questions) ? body.questions : [];
      } catch (_) {
        // Suggestions are optional; the input still works (errors surface on ask).
        this._suggestionsLoaded = false;
        return;
      }
      this._suggestionList.replaceChildren(
        ...questions
          .filter((q) => typeof q === "string" && q.trim())
          .slice(0, 6)
          .map((q) =>
            h("button", {
              class: "suggestion",
              type: "button",
              text: q,
              "data-testid": "da06-suggestion",
              onclick: () => this.ask(q),
            }),
          ),
      );
      this._suggestionTitle.hidden = questions.length === 0;
    }

    _setBusy(busy) {
      this._busy = busy;
      this._send.disabled = busy || Boolean(this._cooldownTimer);
      this._log.setAttribute("aria-busy", busy ? "true" : "false");
    }

    _nearBottom() {
      const log = this._log;
      return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    }

    _scrollToBottom(force = false) {
      if (force || this._nearBottom()) this._log.scrollTop = this._log.scrollHeight;
    }

    _submit() {
      const question = this._input.value.trim();
      if (!question || this._busy || this._send.disabled) return;
      this._input.value = "";
      this._autosize();
      this.ask(question);
    }

    _startCooldown(seconds) {
      clearTimeout(this._cooldownTimer);
      this._cooldownTimer = setTimeout(() => {
        this._cooldownTimer = null;
        this._setBusy(this._busy);
      }, seconds * 1000);
      this._setBusy(this._busy);
    }

    _showError(err, container) {
      const message = err instanceof ApiError ? err.userMessage() : TEXT.errors.generic;
      if (err instanceof ApiError && err.kind === "rate") this._startCooldown(err.retryAfter || 30);
      const box = container || h("div", { class: "msg error" });
      box.className = "msg error";
      box.setAttribute("role", "alert");
      box.setAttribute("data-testid", "da06-error");
      box.replaceChildren(document.createTextNode(message));
      if (!container) this._log.append(box);
      this._scrollToBottom(true);
    }

    /** Ask a question; the answer streams into a new assistant message. */
    async ask(question) {
      if (this._busy) return;
      if (this._panel.hidden) this.open();
      this._closePassage(false);
      this._welcome.hidden = true;
      this._log.append(h("div", { class: "msg user", "data-testid": "da06-question", text: question }));
      const message = this._newAnswer();
      this._log.append(message.el);
      this._scrollToBottom(true);
      this._setBusy(true);

      const abort = new AbortController();
      this._abort = abort;
      try {
        const res = await this._api("/v1/ask/stream", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          body: JSON.stringify({ question, conversation_id: this._conversationId }),
          signal: abort.signal,
        });
        if (!res.ok) throw await errorFromResponse(res);
        await this._readStream(res, message, abort.signal);
      } catch (err) {
        if (err && err.name === "AbortError") return;
        this._showError(err, message.el);
      } finally {
        if (this._abort === abort) {
          this._abort = null;
          this._setBusy(false);
        }
      }
    }

    _newAnswer() {
      const text = h("div", { class: "text" });
      const thinking = h("div", { class: "thinking", text: TEXT.thinking });
      const el = h("div", { class: "msg bot", "data-testid": "da06-answer" }, thinking, text);
      return { el, text, thinking, answer: "", citations: [], abstained: false, note: null, finished: false };
    }

    async _readStream(res, message, signal) {
      if (!res.body) throw new ApiError("interrupted");
      const reader = res.body.getReader();
      const decoder = new TextDecoder("utf-8");
      let failure = null;
      const parser = createSseParser((event, raw) => {
        let data = {};
        try {
          data = raw ? JSON.parse(raw) : {};
        } catch (_) {
          return; // a malformed frame is skipped rather than shown
        }
        if (event === "meta" && data.conversation_id) this._conversationId = data.conversation_id;
        else if (event === "token" && typeof data.text === "string") this._appendToken(message, data.text);
        else if (event === "citations") {
          message.citations = Array.isArray(data.citations) ? data.citations : [];
          message.abstained = Boolean(data.abstained);
          if (data.note) message.note = data.note;
        } else if (event === "done") {
          if (data.note) message.note = data.note;
          this._finishAnswer(message);
        } else if (event === "error") {
          failure = new ApiError("server", { detail: data.detail || "" });
        }
      });
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(decoder.decode(value, { stream: true }));
          if (failure) break;
        }
        parser.push(decoder.decode());
        parser.end();
      } catch (err) {
        if (signal.aborted) throw err;
        if (!message.finished) throw new ApiError("interrupted");
      } finally {
        if (failure) reader.cancel().catch(() => {});
      }
      if (failure) throw failure;
      if (!message.finished) {
        if (message.answer || message.citations.length) this._finishAnswer(message);
        else throw new ApiError("interrupted");
      }
    }

    _appendToken(message, piece) {
      if (message.thinking.isConnected) message.thinking.remove();
      message.answer += piece;
      message.text.append(piece); // text node: never parsed as HTML
      this._scrollToBottom();
    }

    _finishAnswer(message) {
      if (message.finished) return;
      message.finished = true;
      message.thinking.remove();
      const { el, citations } = message;
      const byId = new Map(citations.map((c) => [Number(c.id), c]));
      message.text.replaceChildren(...this._answerNodes(message.answer, byId));

      if (message.abstained) {
        el.classList.add("abstained");
        el.prepend(h("span", { class: "badge", text: TEXT.abstainedBadge }));
      }
      if (message.note) el.append(h("div", { class: "note", text: message.note }));
      if (citations.length) {
        el.append(
          h("p", { class: "cites-label", text: message.abstained ? TEXT.nearest : TEXT.sources }),
          h(
            "div",
            { class: "cites" },
            ...citations.map((c) =>
              h("button", {
                class: "chip",
                type: "button",
                "data-testid": "da06-citation",
                "data-source": c.source,
                text: citationLabel(c),
                title: [c.title, c.section].filter(Boolean).join(" — "),
                "aria-label": TEXT.citationLabel(c),
                onclick: (e) => this._openPassage(c, e.currentTarget),
              }),
            ),
          ),
        );
      }
      const copy = h("button", {
        class: "copy",
        type: "button",
        text: TEXT.copy,
        "aria-label": TEXT.copyLabel,
        onclick: async () => {
          const ok = await copyText(this._plainAnswer(message));
          copy.textContent = ok ? TEXT.copied : TEXT.copyFailed;
          this._announcer.textContent = copy.textContent;
          setTimeout(() => {
            copy.textContent = TEXT.copy;
          }, 2000);
        },
      });
      el.append(h("div", { class: "actions" }, copy));
      this._scrollToBottom();
    }

    /** Answer text with "[n]" markers turned into buttons that open citation n. */
    _answerNodes(answer, byId) {
      const nodes = [];
      const re = /\[(\d{1,2})\]/g;
      let last = 0;
      let match;
      while ((match = re.exec(answer))) {
        const citation = byId.get(Number(match[1]));
        if (!citation) continue;
        if (match.index > last) nodes.push(document.createTextNode(answer.slice(last, match.index)));
        nodes.push(
          h("button", {
            class: "ref",
            type: "button",
            text: match[0],
            "aria-label": TEXT.citationLabel(citation),
            onclick: (e) => this._openPassage(citation, e.currentTarget),
          }),
        );
        last = re.lastIndex;
      }
      if (last < answer.length) nodes.push(document.createTextNode(answer.slice(last)));
      return nodes;
    }

    _plainAnswer(message) {
      const lines = [message.answer.trim()];
      if (message.citations.length) {
        lines.push("", TEXT.sources);
        for (const c of message.citations) {
          lines.push(`[${c.id}] ${c.title || c.source}, ${TEXT.line} ${lineRange(c)} (${c.source})`);
        }
      }
      return lines.join("\n");
    }

    // ---- passage viewer ---------------------------------------------------------------

    _documentUrl(c) {
      const url = new URL(`${this.apiBase}/documents`, window.location.href);
      url.searchParams.set("source", c.source);
      if (c.page !== null && c.page !== undefined) url.searchParams.set("page", String(c.page));
      url.searchParams.set("line", String(c.line_start));
      if (c.line_end && c.line_end !== c.line_start) url.searchParams.set("end", String(c.line_end));
      return url.href;
    }

    _fetchDocument(c) {
      // Only the cited lines and their context: an appendix can be thousands of lines long.
      const params = new URLSearchParams({
        start: String(Math.max(1, c.line_start - PASSAGE_CONTEXT_LINES)),
        end: String((c.line_end || c.line_start) + PASSAGE_CONTEXT_LINES),
      });
      if (c.page !== null && c.page !== undefined) params.set("page", String(c.page));
      const key = `${c.source}?${params}`;
      if (!this._docCache.has(key)) {
        const promise = this._getJson(`/v1/documents/${encodeURIComponent(c.source)}?${params}`);
        promise.catch(() => this._docCache.delete(key));
        this._docCache.set(key, promise);
      }
      return this._docCache.get(key);
    }

    async _openPassage(citation, opener) {
      this._lastChip = opener || null;
      const back = h("button", {
        class: "back",
        type: "button",
        text: TEXT.back,
        "aria-label": TEXT.backLabel,
        onclick: () => this._closePassage(),
      });
      const heading = h("h3", { tabindex: "-1", text: citation.title || citation.source });
      const meta = h("p", { class: "passage-meta" });
      const metaParts = [];
      if (citation.section) metaParts.push(`${TEXT.section} ${citation.section}`);
      if (citation.page !== null && citation.page !== undefined) metaParts.push(`${TEXT.page} ${citation.page}`);
      metaParts.push(`${TEXT.lineCap} ${lineRange(citation)}`);
      if (citation.ocr) metaParts.push(TEXT.ocr(citation));
      meta.textContent = metaParts.join(" · ");
      const status = h("div", { class: "status", role: "status", text: TEXT.loadingDocument });
      const link = h("a", {
        class: "open-doc",
        href: this._documentUrl(citation),
        target: "_blank",
        rel: "noopener",
        text: TEXT.openDocument,
      });
      this._passage.replaceChildren(
        h("div", { class: "passage-head" }, back, heading, meta),
        status,
        h("div", { class: "passage-foot" }, h("span", { class: "passage-meta", text: citation.source }), link),
      );
      this._passage.hidden = false;
      heading.focus();

      try {
        const body = await this._fetchDocument(citation);
        if (this._passage.hidden) return;
        if (body.document && body.document.title) heading.textContent = body.document.title;
        status.replaceWith(this._passageLines(body.lines || [], citation));
        const first = this._passage.querySelector("li.hl");
        if (first) first.scrollIntoView({ block: "center" });
      } catch (err) {
        status.textContent = err instanceof ApiError ? err.userMessage() : TEXT.errors.generic;
      }
    }

    _passageLines(lines, c) {
      const hasPage = c.page !== null && c.page !== undefined;
      const samePage = (l) => !hasPage || l.page === c.page || l.page === null || l.page === undefined;
      const end = c.line_end || c.line_start;
      const from = c.line_start - PASSAGE_CONTEXT_LINES;
      const to = end + PASSAGE_CONTEXT_LINES;
      const list = h("ol", { class: "lines", "aria-label": `${TEXT.lineCap} ${lineRange(c)}` });
      for (const line of lines) {
        if (!samePage(line) || line.n < from || line.n > to) continue;
        const highlighted = line.n >= c.line_start && line.n <= end;
        list.append(
          h(
            "li",
            highlighted ? { class: "hl", "data-testid": "da06-highlight" } : {},
            h("span", { class: "n", text: String(line.n) }),
            // Corpus exports mix NFC and NFD; NFD marks render detached in many fonts.
            h("span", { class: "t", text: (line.text || " ").normalize("NFC") }),
          ),
        );
      }
      if (!list.children.length) return h("div", { class: "status", text: TEXT.errors.notFound });
      return list;
    }

    _closePassage(restoreFocus = true) {
      if (!this._passage || this._passage.hidden) return;
      this._passage.hidden = true;
      this._passage.replaceChildren();
      if (restoreFocus) {
        if (this._lastChip && this._lastChip.isConnected) this._lastChip.focus();
        else this._input.focus();
      }
    }
  }

  window.customElements.define("da06-chat", Da06Chat);
})();
