// The detail panel: an enterprise's profile and ownership, a person's liabilities and
// exposures, a finding's timeline, the paths between two subjects.
import { h, pct, period, replace, roleName, STATUS_ZH } from "./dom.js";

const PATH_PREFIX = { Enterprise: "E:", Finding: "F:", Department: "D:" };

function personText(person) {
  if (!person) return "";
  const number = person.id_number || person.id_masked;
  return `${person.name || "(no name)"} · ${number}`;
}

function statusBadge(status) {
  if (!status) return null;
  const cls = status === "ACTIVE" ? "bad" : status === "UNDER_REVIEW" ? "warn" : "good";
  return h("span", { class: `badge ${cls}` }, `${STATUS_ZH[status] || ""} ${status}`);
}

function findingLink(findingId, ctx) {
  return h("button", { type: "button", class: "link", "data-finding": findingId, onclick: () => ctx.openFinding(findingId) }, findingId);
}

/** Node ids of a liability's evidence path, as shown in the graph (persons via ``personId``). */
export function pathNodeIds(path, personId) {
  const ids = [];
  for (const element of path) {
    if (element.element !== "node") continue;
    if (element.label === "Person") ids.push(personId(element.person));
    else ids.push(`${PATH_PREFIX[element.label] || ""}${element.key}`);
  }
  return ids;
}

/** Minimal graph nodes for the path elements not shown yet. */
export function pathNodes(path, personId) {
  return path
    .filter((element) => element.element === "node")
    .map((element) => ({
      id: element.label === "Person" ? personId(element.person) : `${PATH_PREFIX[element.label] || ""}${element.key}`,
      kind: element.label.toUpperCase(),
      label: element.label === "Person" ? element.person?.name || element.person?.id_masked : element.name || `${element.properties?.list_type || ""} ${element.key}`,
      flags: [],
      status: element.properties?.status,
      person: element.person,
    }));
}

function liabilityCard(liability, index, ctx) {
  return h(
    "div",
    { class: "card liability", "data-liability": index },
    h("div", { class: "row" }, h("strong", { class: "rule" }, `${liability.rule} · ${liability.rule_name || ""}`), findingLink(liability.finding_id, ctx)),
    h("div", {}, "via ", h("strong", {}, roleName(liability.via)), liability.enterprise ? ` @ ${liability.enterprise.name || ""} (${liability.enterprise.uscc})` : ""),
    h("div", { class: "meta" }, `list ${liability.list_type || "?"} · act ${liability.act_date || "unknown"} · decided ${liability.decided_on} · until ${liability.effective_until || "open"}`),
    h("div", {}, ...liability.effects.map((effect) => h("span", { class: "badge bad" }, effect))),
    h("div", { class: "meta" }, `measures: ${liability.measures.join(", ")}`),
    h("div", { class: "meta" }, `source: ${liability.source}`),
    h("button", { type: "button", class: "show-path", onclick: () => ctx.showLiabilityPath(liability) }, "Show path 显示路径"),
  );
}

function exposureCard(exposure, ctx) {
  return h(
    "div",
    { class: "card exposure" },
    h("div", { class: "row" }, h("strong", {}, "Exposed, not liable 仅关联，不承担责任"), findingLink(exposure.finding_id, ctx)),
    h("div", {}, roleName(exposure.role), exposure.enterprise ? ` @ ${exposure.enterprise.name || ""} (${exposure.enterprise.uscc})` : ""),
    h("div", { class: "meta" }, `since ${exposure.since || "unknown"} — ${exposure.reason}`),
  );
}

/** A person's check: restricted or not, liabilities with their paths, exposures apart. */
export function renderPerson(el, check, ctx) {
  const subject = check.subject;
  replace(
    el,
    h("h2", {}, subject.name || "(no name)"),
    h("div", { class: "sub" }, `${subject.id_type} ${subject.id_number || subject.id_masked}`),
    h("div", {}, `as of ${check.as_of} `, check.restricted ? h("span", { class: "badge bad", id: "restricted" }, "RESTRICTED 受限") : h("span", { class: "badge good", id: "restricted" }, "not restricted 未受限")),
    check.known === false ? h("p", { class: "notice" }, "This person is not in the graph. 图谱中无此人。") : null,
    h("h3", {}, `Liabilities 责任 (${check.liabilities.length})`),
    h("div", { id: "liabilities" }, check.liabilities.length ? check.liabilities.map((l, i) => liabilityCard(l, i, ctx)) : h("p", { class: "hint" }, "None 无")),
    h("h3", {}, `Exposures 关联但不担责 (${check.exposures.length})`),
    h("div", { id: "exposures" }, check.exposures.length ? check.exposures.map((x) => exposureCard(x, ctx)) : h("p", { class: "hint" }, "None 无")),
  );
}

function chainText(chain) {
  const parts = [];
  chain.subjects.forEach((subject, i) => {
    parts.push(subject.name || subject.uscc || subject.code || subject.person?.id_masked || subject.id);
    if (i < chain.links.length) {
      const share = chain.links[i] === "ACTUAL_CONTROLLER" ? "实际控制" : pct(chain.shares[i]);
      parts.push(` —${share}→ `);
    }
  });
  return parts.join("");
}

function chainRow(chain, ctx) {
  return h(
    "div",
    { class: "chain" },
    chainText(chain),
    chain.product !== null && chain.product !== undefined ? ` = ${pct(chain.product)}` : "",
    h("button", { type: "button", class: "show-chain", onclick: () => ctx.showChain(chain) }, "show 显示"),
  );
}

function ownersSection(report, ctx) {
  const owners = report.owners || [];
  const controllers = report.controllers || [];
  return [
    h("h3", {}, `Ownership penetration 股权穿透 (as of ${report.as_of})`),
    h(
      "table",
      { id: "owners" },
      h("thead", {}, h("tr", {}, h("th", {}, "Owner 股东"), h("th", { class: "num" }, "Direct 直接"), h("th", { class: "num" }, "Penetrated 穿透"), h("th", {}, "BO"), h("th", {}, "Control"))),
      h(
        "tbody",
        {},
        owners.map((owner) =>
          h(
            "tr",
            { "data-owner": owner.subject.id },
            h("td", {}, owner.subject.name || owner.subject.id),
            h("td", { class: "num" }, owner.direct_share === 0 ? "—" : pct(owner.direct_share)),
            h("td", { class: "num" }, owner.share === null ? `≥ ${pct(owner.share_known_part)}` : pct(owner.share)),
            h("td", {}, owner.beneficial_owner ? "✓" : ""),
            h("td", {}, owner.controller || (owner.controls ? "controls" : "")),
          ),
        ),
      ),
    ),
    owners.length ? null : h("p", { class: "hint" }, "No recorded owners. 无股东记录。"),
    h("h3", {}, `Actual controllers 实际控制人 (${controllers.length})`),
    h(
      "div",
      { id: "controllers" },
      controllers.map((controller) =>
        h(
          "div",
          { class: "card" },
          h("strong", {}, controller.subject.name || controller.subject.id),
          " ",
          h("span", { class: "badge warn" }, controller.basis === "derived" ? "derived 推定 (candidate 待确认)" : "declared 申报"),
          controller.ultimate ? h("span", { class: "badge" }, "ultimate 最终") : null,
          controller.chains.map((chain) => chainRow(chain, ctx)),
        ),
      ),
    ),
    (report.notes || []).map((note) => h("p", { class: "notice" }, note)),
  ];
}

/** An enterprise: profile (officers, shareholders, findings) and ownership penetration. */
export function renderEnterprise(el, profile, owners, ownersError, ctx) {
  const e = profile.enterprise;
  const officers = profile.officers || [];
  replace(
    el,
    h("h2", {}, e.name || e.uscc),
    h("div", { class: "sub" }, e.uscc),
    h("div", {}, [profile.kind, profile.ownership, profile.status, profile.region_code].filter(Boolean).map((v) => h("span", { class: "badge" }, v)), profile.established_on ? ` est. ${profile.established_on}` : ""),
    h("h3", {}, `Findings 失信认定 (${(profile.findings || []).length})`),
    h(
      "div",
      { id: "findings" },
      (profile.findings || []).map((f) =>
        h("div", { class: "card" }, h("div", { class: "row" }, findingLink(f.finding_id, ctx), statusBadge(f.status)), h("div", { class: "meta" }, `${f.list_type} · ${f.authority || ""} · decided ${f.decided_on || "?"} · until ${f.effective_until || "open"}`)),
      ),
    ),
    h("h3", {}, `Officers 人员 (${officers.length})`),
    h(
      "table",
      {},
      h("tbody", {}, officers.map((o) => h("tr", { class: o.current ? "" : "ended" }, h("td", {}, personText(o.person)), h("td", {}, roleName(o.role)), h("td", {}, period(o.start_date, o.end_date))))),
    ),
    owners ? ownersSection(owners, ctx) : h("p", { class: "notice" }, `Ownership not available: ${ownersError}`),
    (profile.liable || []).length ? h("h3", {}, `Liable persons 责任人 (${profile.liable.length})`) : null,
    (profile.liable || []).map((lp) => h("div", { class: "card liability" }, personText(lp.person), " — ", lp.liabilities.map((l) => `${l.rule}/${l.via}`).join(", "))),
    (profile.exposures || []).length ? h("h3", {}, `Exposed, not liable 仅关联 (${profile.exposures.length})`) : null,
    (profile.exposures || []).map((x) => h("div", { class: "card exposure" }, personText(x.person), ` — ${roleName(x.role)} since ${x.since || "?"}: ${x.reason}`)),
  );
}

/** A finding: its facts, its timeline of transitions, who it reaches. */
export function renderFinding(el, reach, ctx) {
  const f = reach.finding;
  replace(
    el,
    h("h2", {}, `Finding 认定 ${f.finding_id}`),
    h("div", {}, statusBadge(f.status), f.applies ? h("span", { class: "badge bad" }, "applies 生效中") : h("span", { class: "badge good" }, `not applying: ${f.not_applying_reason || ""}`)),
    h(
      "table",
      {},
      h(
        "tbody",
        {},
        [
          ["against", reach.enterprise ? `${reach.enterprise.name || ""} (${reach.enterprise.uscc})` : personText(reach.subject_person)],
          ["list type", f.list_type],
          ["category", f.category],
          ["authority", f.authority],
          ["basis", f.basis],
          ["act date", f.act_date || "unknown"],
          ["decided on", f.decided_on],
          ["effective until", f.effective_until || "open"],
        ].map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v ?? ""))),
      ),
    ),
    h("h3", {}, "Timeline 状态变更"),
    h(
      "ol",
      { class: "timeline", id: "timeline" },
      h("li", {}, h("strong", {}, `${f.decided_on || "?"} decided 认定`), ` by ${f.authority || "?"}`),
      (reach.transitions || []).map((t) =>
        h("li", { "data-seq": t.seq }, h("strong", {}, `${t.at.slice(0, 10)} ${t.from_status || "—"} → ${t.to_status}`), h("div", { class: "meta" }, `${t.actor}: ${t.reason}${t.document ? ` (${t.document})` : ""}`)),
      ),
    ),
    h("h3", {}, `Liable 责任人 (${reach.liable.length})`),
    reach.liable.map((lp) => h("div", { class: "card liability" }, personText(lp.person), h("div", { class: "meta" }, lp.liabilities.map((l) => `${l.rule} via ${l.via}: ${l.effects.join(", ")}`).join("; ")))),
    h("h3", {}, `Exposed, not liable 仅关联 (${reach.exposures.length})`),
    reach.exposures.map((x) => h("div", { class: "card exposure" }, personText(x.person), h("div", { class: "meta" }, `${roleName(x.role)} since ${x.since || "?"} — ${x.reason}`))),
    h("button", { type: "button", onclick: () => ctx.back() }, "← Back 返回"),
  );
}

/** The paths between two subjects, each with a highlight button. */
export function renderPaths(el, result, ctx) {
  replace(
    el,
    h("h2", {}, "Paths 关联路径"),
    h("div", {}, `${result.source.label} → ${result.target.label}`),
    h("div", { class: "meta" }, `${result.paths.length} path(s), at most ${result.max_hops} hops`),
    result.paths.length ? null : h("p", { class: "notice" }, "No connection within the hop limit. 在跳数限制内无关联。"),
    h(
      "div",
      { id: "paths" },
      result.paths.map((path, i) =>
        h(
          "div",
          { class: "card" },
          h("strong", {}, `#${i + 1} · ${path.hops} hops`),
          h("div", { class: "meta" }, path.nodes.map((n) => n.label).join(" — ")),
          h("button", { type: "button", class: "show-path", onclick: () => ctx.highlight(path.nodes.map((n) => n.id), path.edges.map((e) => e.id)) }, "Highlight 高亮"),
        ),
      ),
    ),
  );
}

/** A node the user clicked that has no richer view (department, masked person). */
export function renderNode(el, node) {
  replace(
    el,
    h("h2", {}, node.label),
    h("div", { class: "sub" }, node.key || node.person?.id_masked || ""),
    h("div", {}, h("span", { class: "badge" }, node.kind), (node.flags || []).map((f) => h("span", { class: "badge bad" }, f))),
    node.kind === "PERSON" && !node.person?.id_number ? h("p", { class: "notice" }, "Your role sees masked ID numbers only. 当前角色仅可见脱敏证件号。") : null,
  );
}
