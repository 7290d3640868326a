/*
 * Upload panel of the documents page: POST /v1/documents answers 202 with a job;
 * GET /v1/jobs/{id} is polled and its stage and progress shown until it is done or failed.
 * The admin key stays in this tab only (sessionStorage) and is sent as X-API-Key.
 */
(() => {
  "use strict";

  const STAGES = {
    queued: "Đang chờ xử lý",
    starting: "Đang khởi động",
    load: "Đang đọc tệp",
    parse: "Đang phân tích cấu trúc",
    embed: "Đang lập chỉ mục",
    switch: "Đang chuyển sang chỉ mục mới",
    stage: "Đang chuẩn bị",
    done: "Hoàn tất",
    failed: "Thất bại",
  };
  const form = document.getElementById("upload-form");
  const box = document.getElementById("job-status");
  const stage = document.getElementById("job-stage");
  const bar = document.getElementById("job-progress");
  if (!form) return;

  form.key.value = sessionStorage.getItem("da06-admin-key") || "";

  function show(text, progress) {
    box.hidden = false;
    stage.textContent = text;
    bar.value = progress;
  }

  async function poll(url, key) {
    for (;;) {
      const response = await fetch(url, { headers: { "X-API-Key": key } });
      const job = await response.json();
      if (!response.ok) return show(job.detail || "Lỗi", 0);
      const label = STAGES[job.stage] || job.stage;
      show(`${label} — ${Math.round(job.progress * 100)}%`, job.progress);
      if (job.state === "done") return show(`${STAGES.done}: ${job.document.source}`, 1);
      if (job.state === "failed") return show(`${STAGES.failed}: ${job.error}`, job.progress);
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = form.key.value.trim();
    sessionStorage.setItem("da06-admin-key", key);
    const body = new FormData();
    body.append("file", form.file.files[0]);
    for (const name of ["title", "number", "date", "issuer"]) {
      if (form[name].value.trim()) body.append(name, form[name].value.trim());
    }
    show(STAGES.queued, 0);
    try {
      const response = await fetch("/v1/documents", { method: "POST", body, headers: { "X-API-Key": key } });
      const answer = await response.json();
      if (response.status !== 202) return show(answer.detail || "Lỗi", 0);
      await poll(answer.status_url, key);
    } catch (error) {
      show("Không kết nối được máy chủ.", 0);
    }
  });
})();
