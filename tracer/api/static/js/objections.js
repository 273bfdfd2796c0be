// A finding's objections (异议): status, verification deadline, overdue flag, outcome. Loaded
// after the finding view; the finding id is the only thing in the URL (no person identifier).
import { api } from "./api.js";
import { h, replace } from "./dom.js";

function objectionItem(o) {
  const who = o.person ? `${o.person.name || ""} ${o.person.id_masked} (own role 本人身份)` : "the finding 认定本身";
  const state = o.outcome
    ? h("span", { class: "badge" }, `${o.outcome} · decided ${o.decided_on}`)
    : h("span", { class: o.overdue ? "badge bad" : "badge" }, o.overdue ? "OPEN · overdue 已逾期" : "OPEN 核实中");
  return h(
    "li",
    { "data-objection": o.objection_id },
    h("strong", {}, `${o.objection_id} `), state,
    h("div", { class: "meta" }, `against ${who} · filed ${o.filed_on} · accepted ${o.accepted_on} · deadline ${o.deadline}`),
    h("div", { class: "meta" }, `${o.reason}${o.document ? ` (${o.document})` : ""}`),
  );
}

/** A section listing the objections against `findingId`, filled in when they arrive. */
export function objectionsSection(findingId) {
  const list = h("ol", { class: "timeline", id: "objections" }, h("li", { class: "meta" }, "loading…"));
  api("GET", `/v1/objections?finding_id=${encodeURIComponent(findingId)}`)
    .then((items) => replace(list, items.length ? items.map(objectionItem) : h("li", { class: "meta" }, "none 无")))
    .catch(() => replace(list, h("li", { class: "meta" }, "objections unavailable")));
  return [h("h3", {}, "Objections 异议"), list];
}
