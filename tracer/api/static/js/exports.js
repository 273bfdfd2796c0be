// Downloads of files the API writes (screening results, exports of views): fetched with the
// API key in a header, then saved from a blob URL. Nothing personal is put in a URL.
import { ApiError, session } from "./api.js";

/** The file name of a Content-Disposition header, or the fallback. */
function fileName(response, fallback) {
  const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
  return match ? match[1] : fallback;
}

/** Offer a blob as a download named `name`. */
export function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** An ApiError from a failed answer (problem+json when it is one). */
export async function failure(status, text) {
  let problem = null;
  try {
    problem = JSON.parse(text);
  } catch {
    problem = { detail: text.slice(0, 200) };
  }
  return new ApiError(status, problem);
}

/** GET an export (`/v1/exports/...`) as CSV (UTF-8 with BOM) or XLSX and save it. */
export async function download(path, format, fallback) {
  const separator = path.includes("?") ? "&" : "?";
  const response = await fetch(`${path}${separator}format=${format}`, {
    headers: { "X-API-Key": session.key || "" },
    cache: "no-store",
    credentials: "omit",
  });
  if (!response.ok) throw await failure(response.status, await response.text());
  save(await response.blob(), fileName(response, `${fallback}.${format}`));
}

/** "Download CSV / XLSX" buttons for an export path. */
export function exportButtons(path, name, onError) {
  const box = document.createElement("div");
  box.className = "exports";
  for (const format of ["csv", "xlsx"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.format = format;
    button.textContent = `Download ${format.toUpperCase()} 下载`;
    button.addEventListener("click", () => download(path, format, name).catch(onError));
    box.append(button);
  }
  return box;
}
