// The detail panel: an enterprise's profile and ownership, an enterprise check ("may it bid
// today?"), a person's liabilities and exposures, a finding's timeline, the paths between two
// subjects.
import { EXPOSURE_ZH, h, pct, period, RELATION_ZH, replace, roleName, STATUS_ZH } from "./dom.js";
import { objectionsSection } from "./objections.js";
import { recordsSection } from "./records.js";

const PATH_PREFIX = { Enterprise: "E:", Finding: "F:", Department: "D:" };
export const BID_MEASURE = "PUBLIC_BIDDING_BAN";

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

function enterpriseText(enterprise) {
  return enterprise ? `${enterprise.name || ""} (${enterprise.uscc})` : "";
}

/** "until 2030-01-15", or — for a period without a fixed end — "until performance / removal"
 *  with the reason on hover; the reason is data (period_note). */
export function untilText(item) {
  if (item.effective_until) return h("span", { class: "until" }, `until ${item.effective_until}`);
  const open = item.period_basis === "OPEN";
  return h(
    "span",
    { class: open ? "until open" : "until", title: item.period_note || null },
    open ? "until performance / removal 至履行或移出" : "until: not set 期限未定",
  );
}

/** "must 应当 (强制性)" or "may 可以 (推荐性)" for one measure of the memoranda or a rule. */
function mustOrMay(mandatory) {
  return mandatory ? h("span", { class: "must" }, "must 应当执行 (强制性)") : h("span", { class: "may" }, "may 可以执行 (推荐性)");
}

function measureChip(detail) {
  const title = [detail.name_zh, detail.until ? `until ${detail.until}` : null, detail.source].filter(Boolean).join(" · ");
  return h("span", { class: `measure ${detail.mandatory ? "must" : "may"}`, "data-measure": detail.code, title }, detail.code, h("small", {}, detail.mandatory ? " must" : " may"));
}

/** A readable evidence path: 顶点科技 —OWNS 60%→ 供应链 ←AGAINST— F-2021-001. */
export function pathText(path) {
  return path
    .map((element) => {
      if (element.element === "node") return element.name || element.key || element.person?.id_masked || element.label;
      const props = element.properties || {};
      const extra = props.share !== undefined ? ` ${pct(props.share)}` : props.role ? ` ${props.role}` : props.capacity ? ` ${props.capacity}` : "";
      return element.direction === "forward" ? ` —${element.type}${extra}→ ` : ` ←${element.type}${extra}— `;
    })
    .join("");
}

/** Node ids of an evidence path, as shown in the graph (persons via ``personId``). */
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

/** The legal source of a rule or memorandum, folded (the texts are long). */
function sourceLine(source) {
  if (!source) return null;
  return h("details", { class: "source" }, h("summary", {}, "source 依据"), h("div", {}, source));
}

function pathButton(path, label, ctx) {
  return h("button", { type: "button", class: "show-path", onclick: () => ctx.showPath(path, label) }, "Show path 显示路径");
}

function measuresLine(liability) {
  const details = liability.measure_details || [];
  return h("div", { class: "measures" }, details.length ? details.map(measureChip) : h("span", { class: "hint" }, "no measure applies 无适用措施"));
}

function eligibleLine(liability) {
  const eligible = liability.eligible_measures || [];
  if (!eligible.length) return null;
  return h("div", { class: "eligible" }, `eligible, for the authority to decide 可依法依规决定 — not a restriction: ${eligible.join(", ")}`);
}

function notAppliedLine(liability) {
  const items = liability.not_applied || [];
  if (!items.length) return null;
  return h("div", { class: "meta" }, `not applied: ${items.map((item) => `${item.code} (${item.reason})`).join("; ")}`);
}

function liabilityCard(liability, index, ctx) {
  const kind = liability.restricting ? "restricting" : "record-only";
  return h(
    "div",
    { class: `card liability ${kind}`, "data-liability": index, "data-rule": liability.rule },
    h("div", { class: "row" }, h("strong", { class: "rule" }, `${liability.rule} · ${liability.rule_name || ""}`), findingLink(liability.finding_id, ctx)),
    h("div", {}, "via ", h("strong", {}, roleName(liability.via)), liability.enterprise ? ` @ ${enterpriseText(liability.enterprise)}` : ""),
    h("div", { class: "meta" }, `list ${liability.list_type || "?"} · act ${liability.act_date || "unknown"} · decided ${liability.decided_on} · `, untilText(liability)),
    h("div", {}, ...liability.effects.map((effect) => h("span", { class: `badge ${liability.restricting ? "bad" : "info"}` }, effect)), liability.restricting ? null : h("span", { class: "badge good" }, "not restricting 不限制")),
    measuresLine(liability),
    eligibleLine(liability),
    notAppliedLine(liability),
    sourceLine(liability.source),
    pathButton(liability.path, `${liability.rule} / ${liability.finding_id}`, ctx),
  );
}

function exposureCard(exposure, ctx) {
  return h(
    "div",
    { class: "card exposure", "data-kind": exposure.kind },
    h("div", { class: "row" }, h("strong", {}, "Exposed, not liable 仅关联，不承担责任"), findingLink(exposure.finding_id, ctx)),
    h("div", {}, h("span", { class: "badge warn kind" }, `${exposure.kind} ${EXPOSURE_ZH[exposure.kind] || ""}`)),
    h("div", {}, exposure.person ? `${personText(exposure.person)} — ` : "", roleName(exposure.role), exposure.enterprise ? ` @ ${enterpriseText(exposure.enterprise)}` : ""),
    h("div", { class: "meta" }, `${period(exposure.since, exposure.until) || "dates unknown"} — ${exposure.reason}`),
    exposure.rules?.length ? h("div", { class: "meta" }, `rules: ${exposure.rules.join(", ")}`) : null,
  );
}

function verdictBadges(check) {
  return [
    check.liable ? h("span", { class: "badge bad", id: "liable" }, "LIABLE 担责") : h("span", { class: "badge good", id: "liable" }, "not liable 不担责"),
    check.restricted ? h("span", { class: "badge bad", id: "restricted" }, "RESTRICTED 受限") : h("span", { class: "badge good", id: "restricted" }, "not restricted 未受限"),
  ];
}

function asKnown(check) {
  return check.known_on ? ` · as known on ${check.known_on.replace("T", " ").slice(0, 19)} UTC` : "";
}

/** A person's check: liable and restricted apart, liabilities with their measures (must/may)
 *  and paths, exposures with their kind. */
export function renderPerson(el, check, ctx) {
  const subject = check.subject;
  const recordOnly = check.liable && !check.restricted && !check.measure;
  replace(
    el,
    h("h2", {}, subject.name || "(no name)"),
    h("div", { class: "sub" }, `${subject.id_type} ${subject.id_number || subject.id_masked}`),
    h("div", { class: "verdict-line" }, `as of ${check.as_of}${asKnown(check)}${check.measure ? ` · measure ${check.measure}` : ""} `, verdictBadges(check)),
    recordOnly ? h("p", { class: "hint", id: "record-only" }, "Recorded only (credit record, notification): no restricting measure applies. 仅记录，不构成限制。") : null,
    check.known === false ? h("p", { class: "notice" }, "This person is not in the graph. 图谱中无此人。") : null,
    h("h3", {}, `Liabilities 责任 (${check.liabilities.length})`),
    h("div", { id: "liabilities" }, check.liabilities.length ? check.liabilities.map((l, i) => liabilityCard(l, i, ctx)) : h("p", { class: "hint" }, "None 无")),
    h("h3", {}, `Exposures 关联但不担责 (${check.exposures.length})`),
    h("div", { id: "exposures" }, check.exposures.length ? check.exposures.map((x) => exposureCard(x, ctx)) : h("p", { class: "hint" }, "None 无")),
  );
}

// -- enterprise check: "may it bid today?" -------------------------------------------------

function verdictTitle(check, today) {
  if (check.measure === BID_MEASURE) return today ? "May it bid today? 今日可否参与投标" : `May it bid on ${check.as_of}? 可否参与投标`;
  return check.measure ? `Restricted from ${check.measure}? 是否受限` : "Restricted? 是否受限";
}

function askedDetail(check) {
  for (const liability of check.liabilities) {
    const found = (liability.measure_details || []).find((detail) => detail.code === check.measure);
    if (found) return found;
  }
  return null;
}

function verdict(check, today) {
  const measure = check.measure ? ` from ${check.measure}` : "";
  const asked = askedDetail(check);
  return h(
    "div",
    { id: "verdict", class: `verdict ${check.restricted ? "no" : "yes"}` },
    h("div", { class: "question" }, verdictTitle(check, today)),
    h("div", { class: "answer" }, check.restricted ? `No — restricted${measure} 受限，不得参与` : `Yes — not restricted${measure} 未受限`),
    h("div", { class: "meta" }, `as of ${check.as_of}${asKnown(check)} · listed 失信: ${check.liable ? "yes 是" : "no 否"}`),
    asked ? h("div", { class: "asked" }, `${asked.code}: `, mustOrMay(asked.mandatory), " — per the memorandum of the list type 依据合作备忘录") : null,
  );
}

function measureTable(liability, asked) {
  return h(
    "table",
    { class: "measure-table" },
    h("thead", {}, h("tr", {}, h("th", {}, "Measure 措施"), h("th", {}, "Must / may"))),
    h(
      "tbody",
      {},
      (liability.measure_details || []).map((detail) =>
        h(
          "tr",
          { "data-measure": detail.code, class: detail.code === asked ? "asked" : null, title: detail.source || null },
          h("td", {}, h("div", {}, detail.code), h("small", {}, detail.name_zh || ""), detail.until ? h("small", {}, ` · until ${detail.until}`) : null),
          h("td", { class: detail.mandatory ? "must" : "may" }, detail.mandatory ? "must 应当" : "may 可以"),
        ),
      ),
    ),
  );
}

function listingCard(liability, asked, ctx) {
  return h(
    "div",
    { class: "card liability listing", "data-finding": liability.finding_id },
    h("div", { class: "row" }, h("strong", {}, `Listed 失信名单 · ${liability.list_type || "?"}`), findingLink(liability.finding_id, ctx)),
    h("div", { class: "meta" }, `category ${liability.category || "?"} · decided ${liability.decided_on} · `, untilText(liability)),
    h("div", { class: "path-text" }, pathText(liability.path)),
    measureTable(liability, asked),
    (liability.choices || []).map((choice) => h("div", { class: "meta" }, `choose one 择一: ${choice.measures.join(" / ")} — ${choice.note}`)),
    notAppliedLine(liability),
    sourceLine(liability.source),
    pathButton(liability.path, `listing ${liability.finding_id}`, ctx),
  );
}

function riskCard(risk, ctx) {
  const who = risk.enterprise ? enterpriseText(risk.enterprise) : personText(risk.person);
  const share = risk.relation === "SHAREHOLDER" ? ` · ${risk.share === null ? `≥ ${pct(risk.share_known_part)}` : pct(risk.share)}` : "";
  return h(
    "div",
    { class: "card risk", "data-relation": risk.relation },
    h("div", { class: "row" }, h("strong", {}, `${risk.relation} ${RELATION_ZH[risk.relation] || ""}${risk.role ? ` · ${roleName(risk.role)}` : ""}${share}`), findingLink(risk.finding_id, ctx)),
    h("div", {}, who),
    h("div", { class: "meta" }, `${risk.list_type || "?"} · decided ${risk.decided_on || "?"} · `, untilText(risk)),
    h("div", { class: "path-text" }, pathText(risk.path)),
    pathButton(risk.path, `related risk ${risk.finding_id}`, ctx),
  );
}

/** An enterprise's check: restricted or not from a measure (default: public bidding), the
 *  memoranda's measures with must/may and their evidence paths, and the related risk apart.
 *  ``today``: the check was asked for today (no date given). */
export function renderEnterpriseCheck(el, check, ctx, today) {
  const subject = check.subject;
  const risks = check.related_risk || [];
  replace(
    el,
    h("h2", {}, subject.name || subject.uscc),
    h("div", { class: "sub" }, subject.uscc),
    check.known === false ? h("p", { class: "notice" }, "This enterprise is not in the graph. 图谱中无此企业。") : null,
    h("div", { id: "enterprise-check" }, verdict(check, today)),
    h("h3", {}, `Findings that apply 生效的失信认定 (${check.liabilities.length})`),
    h("div", { id: "listing" }, check.liabilities.length ? check.liabilities.map((l) => listingCard(l, check.measure, ctx)) : h("p", { class: "hint" }, "None on this date 当日无")),
    h("h3", {}, `Related risk 关联风险 (${risks.length})`),
    h("p", { class: "notice info-only" }, "Information, not a restriction: findings against its shareholders, controllers and officers. 仅供参考，不构成对本企业的限制。"),
    h("div", { id: "related-risk" }, risks.length ? risks.map((risk) => riskCard(risk, ctx)) : h("p", { class: "hint" }, "None 无")),
    h("button", { type: "button", class: "open-profile", onclick: () => ctx.openEnterprise(subject.uscc) }, "Profile and network 企业详情"),
  );
}

// -- enterprise profile ----------------------------------------------------------------------

function chainText(chain) {
  const parts = [];
  chain.subjects.forEach((subject, i) => {
    parts.push(subject.name || subject.uscc || subject.code || subject.person?.id_masked || subject.id);
    if (i < chain.links.length) {
      const low = chain.shares_min?.[i];
      const high = chain.shares_max?.[i];
      const ranged = chain.shares[i] === null && ((low ?? null) !== null || (high ?? null) !== null);
      const share = chain.links[i] === "ACTUAL_CONTROLLER" ? "实际控制" : ranged ? shareText(null, low ?? 0, high ?? 1, 0) : pct(chain.shares[i]);
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
    chain.product !== null && chain.product !== undefined
      ? ` = ${pct(chain.product)}`
      : chain.product_min !== null && chain.product_min !== undefined
        ? ` = ${shareText(null, chain.product_min, chain.product_max, chain.shares.some((share, i) => share === null && (chain.shares_min?.[i] ?? null) === null && (chain.shares_max?.[i] ?? null) === null) ? 1 : 0)}`
        : "",
    h("button", { type: "button", class: "show-chain", onclick: () => ctx.showChain(chain) }, "show 显示"),
  );
}

/** A percentage without trailing zeros: 0.2 → "20", 0.425 → "42.5". */
function percentNumber(value) {
  return String(Number((value * 100).toFixed(2)));
}

/** A share that may be unknown or a range (docs/DECISIONS.md, "Unknown and ranged shares"):
 *  the point value when known; "20–30 %" for a range; "unknown" with what is known of it. */
function shareText(point, low, high, unknown) {
  if (point !== null && point !== undefined) return pct(point);
  if (low === undefined || high === undefined) return pct(null);
  if (!unknown) return Math.abs(high - low) < 1e-12 ? `${percentNumber(low)} %` : `${percentNumber(low)}–${percentNumber(high)} %`;
  const known = [];
  if (low > 1e-12) known.push(`≥ ${percentNumber(low)} %`);
  if (high < 1 - 1e-12) known.push(`≤ ${percentNumber(high)} %`);
  return known.length ? `${pct(null)} (${known.join(", ")})` : pct(null);
}

function statusText(status, yes) {
  if (status === "possibly") return "possibly 可能";
  return status === "yes" || (status === undefined && yes) ? yes : "";
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
            h("td", { class: "num" }, owner.direct_share === 0 ? "—" : shareText(owner.direct_share, owner.direct_share_min, owner.direct_share_max, owner.unknown_direct)),
            h("td", { class: "num" }, shareText(owner.share, owner.share_min, owner.share_max, owner.unknown_chains)),
            h("td", {}, statusText(owner.beneficial_owner_status, owner.beneficial_owner ? "✓" : "")),
            h("td", {}, statusText(owner.control_status, owner.controller || (owner.controls ? "controls" : ""))),
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

function findingCard(finding, ctx) {
  return h(
    "div",
    { class: "card" },
    h("div", { class: "row" }, findingLink(finding.finding_id, ctx), h("span", {}, statusBadge(finding.status), finding.applies ? h("span", { class: "badge bad" }, "applies 生效中") : h("span", { class: "badge good", title: finding.not_applying_reason || null }, "not applying 未生效"))),
    h("div", { class: "meta" }, `${finding.list_type} · ${finding.authority || ""} · decided ${finding.decided_on || "?"} · `, untilText(finding)),
  );
}

/** Other bodies' list entries (e.g. a sanction from OpenSanctions): information for
 *  investigators, never a finding of this system (the API sends them to investigators only). */
function externalListings(listings) {
  if (!listings.length) return null;
  return h(
    "div",
    { id: "external-listings" },
    h("h3", {}, `External listings 境外/其他名单 (${listings.length})`),
    h("p", { class: "notice info-only" }, "Information, not a finding of this system. 仅供参考，不是本系统的失信认定。"),
    listings.map((l) =>
      h("div", { class: "card" }, h("strong", {}, [l.authority, l.program].filter(Boolean).join(" · ")), h("div", { class: "sub" }, [l.reason, period(l.start_date, l.end_date)].filter(Boolean).join(" · "))),
    ),
  );
}

/** An enterprise: profile (officers, shareholders, findings), "may it bid today?" and
 *  ownership penetration. */
export function renderEnterprise(el, profile, owners, ownersError, ctx) {
  const e = profile.enterprise;
  const officers = profile.officers || [];
  replace(
    el,
    h("h2", {}, e.name || e.uscc),
    h("div", { class: "sub" }, e.uscc),
    h("div", {}, [profile.kind, profile.ownership, profile.status, profile.region_code].filter(Boolean).map((v) => h("span", { class: "badge" }, v)), profile.established_on ? ` est. ${profile.established_on}` : ""),
    h("button", { type: "button", id: "bid-check", onclick: () => ctx.openEnterpriseCheck(e.uscc) }, "May it bid today? 今日可否投标"),
    h("h3", {}, `Findings 失信认定 (${(profile.findings || []).length})`),
    h("div", { id: "findings" }, (profile.findings || []).map((f) => findingCard(f, ctx))),
    externalListings(profile.external_listings || []),
    recordsSection(profile.records),
    h("h3", {}, `Officers 人员 (${officers.length})`),
    h(
      "table",
      {},
      h("tbody", {}, officers.map((o) => h("tr", { class: o.current ? "" : "ended" }, h("td", {}, personText(o.person)), h("td", {}, roleName(o.role)), h("td", {}, period(o.start_date, o.end_date))))),
    ),
    owners ? ownersSection(owners, ctx) : h("p", { class: "notice" }, `Ownership not available: ${ownersError}`),
    (profile.liable || []).length ? h("h3", {}, `Liable persons 责任人 (${profile.liable.length})`) : null,
    (profile.liable || []).map((lp) => h("div", { class: "card liability" }, personText(lp.person), " — ", lp.liabilities.map((l) => `${l.rule}/${l.via}${l.restricting ? "" : " (record)"}`).join(", "))),
    (profile.exposures || []).length ? h("h3", {}, `Exposed, not liable 仅关联 (${profile.exposures.length})`) : null,
    (profile.exposures || []).map((x) => exposureCard(x, ctx)),
  );
}

// -- finding ---------------------------------------------------------------------------------

function transitionStep(t) {
  const recorded = t.recorded_at.replace("T", " ").slice(0, 16);
  const term = t.new_effective_until ? ` · new term until ${t.new_effective_until}` : "";
  return h(
    "li",
    { "data-seq": t.seq },
    h("strong", {}, `${t.effective_on} ${t.from_status || "—"} → ${t.to_status}`),
    h("div", { class: "meta" }, `effective ${t.effective_on} · recorded ${recorded} UTC${term}`),
    h("div", { class: "meta" }, `${t.actor}: ${t.reason}${t.document ? ` (${t.document})` : ""}`),
  );
}

/** A finding: its facts, its timeline (effective date and time of record), who it reaches. */
export function renderFinding(el, reach, ctx) {
  const f = reach.finding;
  const subjectMeasures = reach.subject_measures;
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
          ["against", reach.enterprise ? enterpriseText(reach.enterprise) : personText(reach.subject_person)],
          ["list type", f.list_type],
          ["category", f.category],
          ["ground", f.ground],
          ["authority", f.authority],
          ["basis", f.basis],
          ["act date", f.act_date || "unknown"],
          ["decided on", f.decided_on],
          ["period", untilText(f)],
          [`status on ${reach.as_of}`, f.status_on_date],
        ].map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v ?? ""))),
      ),
    ),
    h("h3", {}, "Timeline 状态变更"),
    h("ol", { class: "timeline", id: "timeline" }, (reach.transitions || []).map(transitionStep)),
    objectionsSection(f.finding_id),
    subjectMeasures ? h("h3", {}, "Measures on the listed subject 对失信主体的措施") : null,
    subjectMeasures ? measuresLine(subjectMeasures) : null,
    h("h3", {}, `Liable 责任人 (${reach.liable.length})`),
    reach.liable.map((lp) => h("div", { class: "card liability" }, personText(lp.person), h("div", { class: "meta" }, lp.liabilities.map((l) => `${l.rule} via ${l.via}: ${l.measures.join(", ") || (l.eligible_measures || []).map((m) => `${m} (eligible)`).join(", ") || "—"}`).join("; ")))),
    h("h3", {}, `Exposed, not liable 仅关联 (${reach.exposures.length})`),
    reach.exposures.map((x) => exposureCard(x, ctx)),
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
