// "Screen a file": a spreadsheet of persons and enterprises is sent as the request body of
// POST /v1/checks/file (names and ID numbers never in a URL); the results come back as a
// workbook (or CSV) to save. Upload progress is shown; the counts come in X-Screening-* headers.
import { session } from "./api.js";
import { download, failure, save } from "./exports.js";

const $ = (id) => document.getElementById(id);
const COUNTS = ["Rows", "Restricted", "Liable-Not-Restricted", "Clear", "Not-Found", "Invalid"];

/** POST the file with progress; resolves with the XHR once the answer is complete. */
function send(file, query, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/v1/checks/file?${query}`);
    xhr.setRequestHeader("X-API-Key", session.key || "");
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.responseType = "blob";
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new Error("the upload failed (network)"));
    xhr.send(file);
  });
}

/** Screen the chosen file and save the results. */
async function screenFile(notify) {
  const file = $("screen-file").files[0];
  if (!file) return;
  const params = new URLSearchParams({ format: $("screen-format").value });
  if ($("screen-as-of").value) params.set("as_of", $("screen-as-of").value);
  if ($("screen-measure").value) params.set("measure", $("screen-measure").value);
  const progress = $("screen-progress");
  const status = $("screen-status");
  progress.hidden = false;
  progress.value = 0;
  status.textContent = `uploading ${file.name} … 上传中`;
  try {
    const xhr = await send(file, params, (share) => {
      progress.value = share;
      if (share >= 1) status.textContent = "screening … 筛查中";
    });
    if (xhr.status !== 200) throw await failure(xhr.status, await xhr.response.text());
    const counts = COUNTS.map((name) => `${name.toLowerCase().replaceAll("-", " ")} ${xhr.getResponseHeader(`X-Screening-${name}`)}`);
    status.textContent = counts.join(" · ");
    const name = /filename="([^"]+)"/.exec(xhr.getResponseHeader("Content-Disposition") || "");
    save(xhr.response, name ? name[1] : `screened.${params.get("format")}`);
  } catch (error) {
    status.textContent = "";
    notify(error);
  } finally {
    progress.hidden = true;
  }
}

/** Wire the "Screen" tab: the upload form and the downloads of work lists and signals. */
export function wireScreening(notify) {
  $("screen-form").addEventListener("submit", (event) => {
    event.preventDefault();
    screenFile(notify);
  });
  for (const button of document.querySelectorAll("#export-form button[data-format]")) {
    button.addEventListener("click", () => {
      const view = $("export-view").value;
      const code = $("export-department").value.trim();
      if (view === "worklist" && !code) {
        notify(new Error("a work list needs a department code 请填写部门代码"));
        return;
      }
      const path = view === "worklist" ? `/v1/exports/departments/${encodeURIComponent(code)}/worklist?scope=ALL` : `/v1/exports/signals/${view}`;
      download(path, button.dataset.format, view).catch(notify);
    });
  }
}
