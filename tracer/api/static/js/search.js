// Name search (POST /v1/search): persons and enterprises as candidates to verify. The typed name
// travels only in the POST body; a candidate is opened by its USCC, or — for roles that see full
// ID numbers — by a check whose ID number also travels in a body.
import { endpoints } from "./api.js";
import { h, replace, roleName } from "./dom.js";

const $ = (id) => document.getElementById(id);

function personItem(item, open) {
  const person = item.person;
  const facts = [
    person.id_masked,
    item.birth_year ? `b. ${item.birth_year}` : null,
    item.sex,
    item.region_code,
    ...item.positions.map((p) => `${roleName(p.role)} ${p.enterprise.name || p.enterprise.uscc}`),
    item.has_findings ? "has findings: see check 有相关认定，请核查" : null,
  ].filter(Boolean);
  const label = [person.name || "?", h("span", { class: "uscc" }, facts.join(" · ")), h("span", { class: "match" }, `${item.match} ${item.score.toFixed(2)}`)];
  if (!person.id_number) return h("li", { class: "candidate" }, ...label);
  const subject = { id_type: person.id_type, id_number: person.id_number };
  return h("li", { class: "candidate" }, h("button", { type: "button", onclick: () => open.person(subject) }, ...label));
}

function enterpriseItem(item, open) {
  const facts = [item.enterprise.uscc, item.status, item.established_on, item.legal_representative ? `法定代表人 ${item.legal_representative.name || "?"}` : null, item.has_findings ? "has findings: see check" : null].filter(Boolean);
  return h("li", { class: "candidate" }, h("button", { type: "button", onclick: () => open.enterprise(item.enterprise.uscc) }, item.enterprise.name || "?", h("span", { class: "uscc" }, facts.join(" · ")), h("span", { class: "match" }, `${item.match} ${item.score.toFixed(2)}`)));
}

async function searchNames(text, kind, open, failed) {
  const list = $("name-matches");
  replace(list);
  try {
    const found = await endpoints.searchNames(text.trim(), kind);
    const items = [...found.persons.map((item) => personItem(item, open)), ...found.enterprises.map((item) => enterpriseItem(item, open))];
    replace(list, ...(items.length ? items : [h("li", { class: "hint" }, "No match 无匹配")]));
    if (found.truncated) list.append(h("li", { class: "hint" }, "More candidates: narrow the name 结果较多，请细化"));
    list.append(h("li", { class: "hint" }, found.note));
  } catch (error) {
    failed(error);
  }
}

/** Wire the name tab: ``open.person(subject)`` and ``open.enterprise(uscc)`` open a candidate. */
export function wireNameSearch(open, failed) {
  $("name-form").addEventListener("submit", (event) => {
    event.preventDefault();
    searchNames($("name-query").value, $("name-kind").value || null, open, failed);
  });
}
