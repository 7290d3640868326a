/*
 * Helpers shared by the deadlines and documents pages, exposed as window.DA06Page.
 * Pages have no build step, so this is a plain script loaded (deferred) before each page script.
 * widget.js keeps its own copies on purpose: other portals embed it with a single script tag.
 */
(() => {
  "use strict";

  /** Wording every page shares; a page spreads these and adds its own `auth` (and `notFound`). */
  const ERRORS = Object.freeze({
    network: "Không kết nối được với máy chủ. Vui lòng thử lại.",
    rate: (s) => `Quá nhiều yêu cầu. Vui lòng thử lại sau ${s || "ít"} giây.`,
    generic: "Không tải được dữ liệu. Vui lòng thử lại.",
  });

  function authHeaders() {
    const meta = document.querySelector('meta[name="da06-token"]');
    const token = meta && meta.getAttribute("content");
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  /**
   * GET `path` as JSON. Failures throw an Error whose message is ready to show, worded by `errors`
   * ({network, auth, rate(seconds), generic, notFound?}); without `notFound`, a 404 shows the
   * server's `detail` like any other failure.
   */
  async function getJson(path, errors) {
    let res;
    try {
      res = await fetch(path, { headers: { Accept: "application/json", ...authHeaders() } });
    } catch (_) {
      throw new Error(errors.network);
    }
    if (res.ok) return res.json();
    if (res.status === 401 || res.status === 403) throw new Error(errors.auth);
    if (res.status === 404 && errors.notFound) throw new Error(errors.notFound);
    if (res.status === 429) throw new Error(errors.rate(res.headers.get("Retry-After")));
    let detail = "";
    try {
      detail = (await res.json()).detail;
    } catch (_) {
      /* not JSON */
    }
    // Server errors read "<Vietnamese> / <English>": show the Vietnamese half.
    throw new Error(typeof detail === "string" && detail ? detail.split(" / ")[0] : errors.generic);
  }

  /** Build an element; `props` are attributes (plus class, text, on<event>), children are nodes or strings. */
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

  /** "2024-06-30" -> "30/06/2024"; partial dates ("2024-06") keep what they have. */
  function formatDate(value) {
    if (!value) return "";
    return String(value).split("-").reverse().join("/");
  }

  window.DA06Page = Object.freeze({ ERRORS, getJson, h, formatDate });
})();
