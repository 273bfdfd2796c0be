// Tiny DOM helpers: build elements from data without ever parsing data as HTML.

/** Create an element: h("td", {class: "num"}, "text", childNode, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) el.append(child);
  }
}

/** A percentage for a share in 0..1; "unknown" for null. */
export function pct(share) {
  if (share === null || share === undefined) return "unknown 未知";
  return `${(share * 100).toFixed(share >= 0.1 ? 1 : 2)}%`;
}

/** "2019-01-01 – 2021-03-02", "since 2019-01-01", or "". */
export function period(start, end) {
  if (start && end) return `${start} – ${end}`;
  if (start) return `${start} –`;
  if (end) return `– ${end}`;
  return "";
}

export const ROLE_ZH = {
  LEGAL_REPRESENTATIVE: "法定代表人",
  PRINCIPAL: "主要负责人",
  CHAIRMAN: "董事长",
  DIRECTOR: "董事",
  SUPERVISOR: "监事",
  GENERAL_MANAGER: "总经理",
  SENIOR_MANAGER: "高级管理人员",
  ACTUAL_CONTROLLER: "实际控制人",
  SHAREHOLDER: "股东",
  REGISTERED_PRACTITIONER: "注册执业人员",
  DIRECTLY_RESPONSIBLE: "直接责任人",
  CO_LISTED: "共同列入",
  RESTRICTED_OFFICER: "被限制消费的负责人",
  EXIT_RESTRICTED: "被限制出境",
  SUBJECT: "失信主体本身",
};

export const STATUS_ZH = {
  ACTIVE: "有效",
  UNDER_REVIEW: "核实中",
  CORRECTED: "已更正",
  REVOKED: "已撤销",
  REPAIRED: "已修复",
  EXPIRED: "已到期",
};

/** Why a person around a listed enterprise is exposed but not liable (Exposure.kind). */
export const EXPOSURE_ZH = {
  IN_OFFICE_DURING_ACT_PERIOD: "失信行为期间在任",
  APPOINTED_AFTER_REFERENCE: "基准日后任职",
  RELEASED: "已解除",
  NAMED_ONLY_LIST: "须经认定点名",
  DERIVED_CONTROLLER: "推定实际控制人（待确认）",
};

/** How a related-risk subject is related to the checked enterprise (RelatedRisk.relation). */
export const RELATION_ZH = {
  SHAREHOLDER: "股东",
  CONTROLLER: "实际控制人",
  OFFICER: "任职人员",
};

/** "法定代表人 LEGAL_REPRESENTATIVE" for a code, or the code. */
export function roleName(code) {
  return code && ROLE_ZH[code] ? `${ROLE_ZH[code]} ${code}` : code || "";
}
