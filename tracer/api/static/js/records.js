// An enterprise's credit commitments (信用承诺) and interviews (约谈) in its profile, flagged on
// the profile's date: BREACHED 违诺, OVERDUE 逾期未履行, UNRECTIFIED 逾期未整改. Records, not findings.
import { h } from "./dom.js";

const FLAG_ZH = { BREACHED: "违诺", OVERDUE: "逾期未履行", UNRECTIFIED: "逾期未整改" };

function flags(list) {
  return (list || []).map((f) => h("span", { class: "badge bad" }, `${f} ${FLAG_ZH[f] || ""}`));
}

function commitmentCard(c) {
  const closed = c.fulfilled_on ? `fulfilled 已履行 ${c.fulfilled_on}` : c.breached_on ? `breached ${c.breached_on}` : "open";
  return h(
    "div",
    { class: "card", "data-commitment": c.commitment_id },
    h("div", { class: "row" }, h("strong", {}, c.matter || c.commitment_id), h("span", {}, flags(c.flags))),
    h("div", { class: "meta" }, `${c.commitment_id} · to ${c.department.name || c.department.code} · committed ${c.committed_on} · due ${c.due_on || "–"} · ${closed}`),
  );
}

function interviewCard(i) {
  const kind = i.kind === "WARNING" ? "WARNING 警示约谈" : "PROMPT 提示约谈";
  return h(
    "div",
    { class: "card", "data-interview": i.interview_id },
    h("div", { class: "row" }, h("strong", {}, kind), h("span", {}, flags(i.flags))),
    h("div", { class: "meta" }, `${i.interview_id} · by ${i.department.name || i.department.code} · held ${i.held_on} · rectify by ${i.rectify_by || "–"} · rectified ${i.rectified_on || "–"}`),
  );
}

/** The profile's commitments and interviews (nothing when it has none). */
export function recordsSection(records) {
  const commitments = (records && records.commitments) || [];
  const interviews = (records && records.interviews) || [];
  if (!commitments.length && !interviews.length) return null;
  return h(
    "div",
    { id: "credit-records" },
    h("h3", {}, `Commitments and interviews 信用承诺与约谈 (${commitments.length + interviews.length})`),
    h("p", { class: "notice info-only" }, "Credit records, not findings. 信用记录，不是失信认定。"),
    commitments.map(commitmentCard),
    interviews.map(interviewCard),
  );
}
