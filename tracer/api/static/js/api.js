// The API client: the key lives in sessionStorage and travels in the X-API-Key header only.
// Personal identifiers are only ever sent in POST bodies, never in a URL — nor is anything typed
// into a search box (it may be an ID number): searches are POSTed too.

const KEY = "tracer.apiKey";

export const session = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  set(key) {
    sessionStorage.setItem(KEY, key);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

/** An error answer of the API (problem+json: title, detail, status). */
export class ApiError extends Error {
  constructor(status, problem) {
    const detail = problem && (problem.detail || problem.title);
    super(detail ? `${status}: ${detail}` : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Called with the start time (ms) of every request that succeeded (e.g. to clear an error). */
export const hooks = { succeeded: (startedAt) => {} };

/** Call the API; JSON in, JSON out; ApiError on any non-2xx answer. */
export async function api(method, path, body) {
  const startedAt = Date.now();
  const headers = { Accept: "application/json, application/problem+json" };
  if (session.key) headers["X-API-Key"] = session.key;
  const init = { method, headers, cache: "no-store", credentials: "omit" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  hooks.succeeded(startedAt);
  return data;
}

const enc = encodeURIComponent;

export const endpoints = {
  whoami: () => api("GET", "/explore/session"),
  enterprise: (uscc) => api("GET", `/v1/enterprises/${enc(uscc)}`),
  owners: (uscc) => api("GET", `/v1/enterprises/${enc(uscc)}/owners`),
  findingsOf: (uscc) => api("GET", `/v1/enterprises/${enc(uscc)}/findings`),
  searchEnterprises: (q) => api("POST", "/v1/enterprises/search", { q, limit: 20 }),
  /** Name search (persons and enterprises): the name travels in the body, never in a URL. */
  searchNames: (text, kind) => api("POST", "/v1/search", { text, kind: kind || null, limit: 20 }),
  finding: (id) => api("GET", `/v1/findings/${enc(id)}`),
  /** Check a person ({id_type, id_number}) or an enterprise ({uscc}); optional date,
   *  instant of knowledge and measure. */
  check: (subject, { asOf, knownOn, measure } = {}) =>
    api("POST", "/v1/checks", { ...subject, as_of: asOf || null, known_on: knownOn || null, measure: measure || null }),
  network: (center, depth, asOf) =>
    api("POST", "/v1/network", { center, depth, limit: 300, as_of: asOf || null }),
  paths: (source, target, maxHops) =>
    api("POST", "/v1/paths", { source, target, max_hops: maxHops, limit: 10 }),
};
