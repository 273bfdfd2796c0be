// The explorer's controller: login, search, network, detail panel.
import { ApiError, endpoints, hooks, session } from "./api.js";
import { h, replace } from "./dom.js";
import { Graph } from "./graph.js";
import { exportButtons } from "./exports.js";
import { wireScreening } from "./screening.js";
import { wireNameSearch } from "./search.js";
import { BID_MEASURE, pathNodeIds, pathNodes, renderEnterprise, renderEnterpriseCheck, renderFinding, renderNode, renderPaths, renderPerson } from "./panels.js";

const $ = (id) => document.getElementById(id);

const state = { graph: null, selected: null, history: [], role: null };

/** Hide an error message once a request started after it succeeded (info messages time out). */
function clearError(startedAt) {
  const box = $("message");
  if (box.className === "error" && startedAt >= notify.shownAt) box.hidden = true;
}
hooks.succeeded = clearError;

function notify(message, kind = "error") {
  const box = $("message");
  box.textContent = message;
  box.className = kind;
  box.hidden = false;
  notify.shownAt = Date.now();
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => (box.hidden = true), 6000);
}

function failed(error) {
  if (error instanceof ApiError && error.status === 401) {
    logout();
    notify("The API key was refused (401). Log in again. 密钥无效，请重新登录。");
    return;
  }
  notify(error instanceof ApiError ? error.message : `Error: ${error.message || error}`);
}

function status(text) {
  $("graph-status").textContent = text;
}

function depth() {
  return Number($("depth").value);
}

function asOf() {
  return $("current-only").checked ? new Date().toISOString().slice(0, 10) : null;
}

/** Show a view in the detail panel, remembering the previous one for "back". */
function showDetail(render) {
  state.history.push(render);
  if (state.history.length > 20) state.history.shift();
  render($("detail"));
}

// -- graph -------------------------------------------------------------------------------

/** The graph node id of a person reference (persons have opaque ids). */
function personId(person) {
  if (!person) return null;
  const match = state.graph.cy.nodes(".person").filter((node) => {
    const p = node.data("node").person || {};
    if (p.id_type !== person.id_type) return false;
    if (p.id_number && person.id_number) return p.id_number === person.id_number;
    return p.id_masked === person.id_masked && (p.name || null) === (person.name || null);
  });
  return match.nonempty() ? match[0].id() : `P?:${person.id_type}:${person.id_masked}`;
}

function subjectOf(node) {
  if (node.kind === "ENTERPRISE") return { uscc: node.key };
  if (node.kind === "PERSON" && node.person?.id_number) {
    return { id_type: node.person.id_type, id_number: node.person.id_number };
  }
  return null;
}

async function loadNetwork(center, replaceGraph) {
  status("loading network …");
  try {
    const network = await endpoints.network(center, depth(), asOf());
    if (replaceGraph) state.graph.show(network.nodes, network.edges, network.center);
    else state.graph.merge(network.nodes, network.edges, null);
    status(`${state.graph.cy.nodes().length} nodes · ${state.graph.cy.edges().length} edges${network.truncated ? " · truncated 已截断" : ""}`);
    return network;
  } catch (error) {
    status("");
    if (error instanceof ApiError && error.status === 403) {
      notify("Your role may not view networks (investigator or admin only). 当前角色无权查看关系网络。");
      return null;
    }
    throw error;
  }
}

async function expand(node) {
  const subject = node && subjectOf(node);
  if (!subject) {
    notify("This node cannot be expanded (findings, departments, masked persons). 该节点不可展开。", "info");
    return;
  }
  const before = state.graph.cy.nodes().length;
  await loadNetwork(subject, false).catch(failed);
  status(`${state.graph.cy.nodes().length} nodes (+${state.graph.cy.nodes().length - before}) · ${state.graph.cy.edges().length} edges`);
}

function select(node) {
  state.selected = node;
  $("expand").disabled = !(node && subjectOf(node));
  if (!node) return;
  if (node.kind === "ENTERPRISE") openEnterprise(node.key, false);
  else if (node.kind === "FINDING") ctx.openFinding(node.key);
  else if (node.kind === "PERSON" && node.person?.id_number) openPerson({ id_type: node.person.id_type, id_number: node.person.id_number }, {}, false);
  else showDetail((el) => renderNode(el, node));
}

// -- views ---------------------------------------------------------------------------------

const ctx = {
  async openFinding(findingId) {
    try {
      const reach = await endpoints.finding(findingId);
      showDetail((el) => renderFinding(el, reach, ctx));
    } catch (error) {
      failed(error);
    }
  },
  openEnterprise(uscc) {
    openEnterprise(uscc, true);
  },
  openEnterpriseCheck(uscc) {
    openEnterpriseCheck(uscc, { measure: BID_MEASURE });
  },
  /** Draw an evidence path (adding the nodes not shown yet) and highlight it. */
  showPath(path, label) {
    const nodes = pathNodes(path, personId);
    for (const node of nodes) state.graph.ensureNode(node);
    const ids = pathNodeIds(path, personId);
    for (let i = 0; i + 1 < ids.length; i += 1) {
      const a = state.graph.cy.getElementById(ids[i]);
      const b = state.graph.cy.getElementById(ids[i + 1]);
      if (a.edgesWith(b).empty()) state.graph.link(ids[i], ids[i + 1], path[2 * i + 1]?.type || "");
    }
    if (nodes.length && state.graph.cy.nodes().some((n) => n.position().x === 0 && n.position().y === 0)) state.graph.layout();
    state.graph.highlight(ids);
    status(`path of ${label} highlighted`);
  },
  showChain(chain) {
    const shown = new Set(state.graph.cy.nodes().map((node) => node.id()));
    for (const subject of chain.subjects) {
      state.graph.ensureNode({ id: subject.id, kind: subject.kind, label: subject.name || subject.id, flags: [], person: subject.person });
    }
    chain.subjects.forEach((subject, i) => {
      if (i + 1 >= chain.subjects.length) return;
      const a = state.graph.cy.getElementById(subject.id);
      const b = state.graph.cy.getElementById(chain.subjects[i + 1].id);
      if (a.edgesWith(b).empty()) state.graph.link(subject.id, chain.subjects[i + 1].id, chain.links[i]);
    });
    // new nodes sit at the origin until laid out: lay out, then fit the whole chain into view
    if (chain.subjects.some((subject) => !shown.has(subject.id))) state.graph.layout();
    state.graph.highlight(chain.subjects.map((s) => s.id));
  },
  highlight(nodeIds, edgeIds) {
    state.graph.highlight(nodeIds, edgeIds);
  },
  back() {
    state.history.pop();
    const previous = state.history.pop();
    if (previous) showDetail(previous);
  },
};

async function openEnterprise(uscc, withNetwork) {
  try {
    const [profile, owners] = await Promise.all([
      endpoints.enterprise(uscc),
      endpoints.owners(uscc).catch((error) => ({ error })),
      withNetwork ? loadNetwork({ uscc }, true) : null,
    ]);
    const ownersError = owners.error ? owners.error.message : null;
    showDetail((el) => {
      renderEnterprise(el, profile, owners.error ? null : owners, ownersError, ctx);
      if (!owners.error) el.querySelector("#owners")?.after(exportButtons(`/v1/exports/enterprises/${encodeURIComponent(uscc)}/owners`, "owners", failed));
    });
  } catch (error) {
    failed(error);
  }
}

async function openPerson(person, options, withNetwork) {
  try {
    const [check] = await Promise.all([endpoints.check(person, options), withNetwork ? loadNetwork(person, true) : null]);
    showDetail((el) => renderPerson(el, check, ctx));
  } catch (error) {
    failed(error);
  }
}

/** "May it bid today?": the enterprise checked for a measure (default: public bidding). */
async function openEnterpriseCheck(uscc, options) {
  try {
    const check = await endpoints.check({ uscc }, options);
    showDetail((el) => renderEnterpriseCheck(el, check, ctx, !options.asOf));
  } catch (error) {
    failed(error);
  }
}

/** Search by name or USCC. What is typed (it may be an ID number) is POSTed, never put in a
 *  URL: a profile is opened by the USCC the search answers with, even when a full USCC was typed. */
async function searchEnterprise(query) {
  const list = $("enterprise-matches");
  replace(list);
  try {
    const page = await endpoints.searchEnterprises(query.trim());
    const items = page.items || [];
    if (!items.length) replace(list, h("li", { class: "hint" }, "No match 无匹配"));
    for (const item of items) {
      list.append(h("li", {}, h("button", { type: "button", onclick: () => openEnterprise(item.uscc, true) }, item.name, h("span", { class: "uscc" }, item.uscc))));
    }
    if (items.length === 1) await openEnterprise(items[0].uscc, true);
  } catch (error) {
    failed(error);
  }
}

function subjectInput(kindId, valueId) {
  const kind = $(kindId).value;
  const value = $(valueId).value.trim();
  return kind === "uscc" ? { uscc: value.toUpperCase() } : { id_type: kind, id_number: value };
}

async function findPaths() {
  try {
    const result = await endpoints.paths(subjectInput("paths-from-kind", "paths-from"), subjectInput("paths-to-kind", "paths-to"), Number($("paths-hops").value));
    const nodes = new Map();
    const edges = new Map();
    for (const path of result.paths) {
      for (const node of path.nodes) nodes.set(node.id, node);
      for (const edge of path.edges) edges.set(edge.id, edge);
    }
    nodes.set(result.source.id, result.source);
    nodes.set(result.target.id, result.target);
    state.graph.show([...nodes.values()], [...edges.values()], result.source.id);
    status(`${result.paths.length} path(s)`);
    showDetail((el) => renderPaths(el, result, ctx));
  } catch (error) {
    failed(error);
  }
}

// -- session ---------------------------------------------------------------------------------

async function login(key) {
  session.set(key);
  try {
    const me = await endpoints.whoami();
    state.role = me.role;
    $("whoami").textContent = `${me.name || me.key_id} · ${me.role}`;
  } catch (error) {
    session.clear();
    failed(error);
    return;
  }
  $("login-form").hidden = true;
  $("session-info").hidden = false;
  $("app").hidden = false;
  if (!state.graph) state.graph = new Graph($("graph"), { onSelect: select, onExpand: (node) => expand(node) });
  window.explorer = { graph: state.graph, state, ctx };
}

function logout() {
  session.clear();
  state.role = null;
  $("api-key").value = "";
  $("login-form").hidden = false;
  $("session-info").hidden = true;
  $("app").hidden = true;
  if (state.graph) state.graph.cy.elements().remove();
  replace($("detail"), h("p", { class: "hint" }, "Search an enterprise or a person to begin. 请先查询企业或个人。"));
}

function wire() {
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    login($("api-key").value.trim());
  });
  $("logout").addEventListener("click", logout);
  for (const tab of document.querySelectorAll(".tabs button")) {
    tab.addEventListener("click", () => {
      for (const other of document.querySelectorAll(".tabs button")) other.classList.toggle("active", other === tab);
      for (const body of document.querySelectorAll(".tab-body")) body.hidden = body.dataset.tab !== tab.dataset.tab;
    });
  }
  $("enterprise-form").addEventListener("submit", (event) => {
    event.preventDefault();
    searchEnterprise($("enterprise-query").value);
  });
  $("person-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const person = { id_type: $("person-id-type").value, id_number: $("person-id").value.trim() };
    openPerson(person, { asOf: $("person-as-of").value, knownOn: $("person-known-on").value }, true);
  });
  $("bid-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const options = { measure: $("bid-measure").value, asOf: $("bid-as-of").value, knownOn: $("bid-known-on").value };
    openEnterpriseCheck($("bid-uscc").value.trim().toUpperCase(), options);
  });
  $("paths-form").addEventListener("submit", (event) => {
    event.preventDefault();
    findPaths();
  });
  wireScreening(failed);
  wireNameSearch({ person: (subject) => openPerson(subject, {}, true), enterprise: (uscc) => openEnterprise(uscc, true) }, failed);
  $("depth").addEventListener("input", () => ($("depth-value").textContent = $("depth").value));
  $("expand").addEventListener("click", () => expand(state.selected));
  $("fit").addEventListener("click", () => state.graph.fit());
  $("clear-highlight").addEventListener("click", () => state.graph.clearHighlight());
  if (session.key) login(session.key);
}

wire();
