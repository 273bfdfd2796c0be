// The network view: cytoscape.js (vendored), nodes and edges as the API's Network shape gives them.
import { ROLE_ZH, pct, period } from "./dom.js";

/** A highlighted path of two or three nodes is not blown up beyond this zoom. */
const MAX_FOCUS_ZOOM = 1.4;
const FONT = getComputedStyle(document.documentElement).getPropertyValue("--font").trim();

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-family": FONT,
      "font-size": 11,
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-wrap": "ellipsis",
      "text-max-width": 140,
      color: "#1f2933",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.8,
      "text-background-padding": 1,
      width: 28,
      height: 28,
      "border-width": 2,
      "border-color": "#ffffff",
    },
  },
  { selector: "node.enterprise", style: { shape: "round-rectangle", "background-color": "#2f6fb3", width: 34, height: 26 } },
  { selector: "node.person", style: { shape: "ellipse", "background-color": "#2e8b57" } },
  { selector: "node.finding", style: { shape: "diamond", "background-color": "#b3261e", width: 24, height: 24, "font-size": 9 } },
  { selector: "node.department", style: { shape: "hexagon", "background-color": "#7a6f9b" } },
  { selector: "node.listed", style: { "background-color": "#f7d4d2", "border-color": "#b3261e", "border-width": 4 } },
  { selector: "node.named", style: { "border-color": "#b3261e", "border-width": 4 } },
  { selector: "node.inactive", style: { opacity: 0.55 } },
  { selector: "node.center", style: { "border-color": "#f2a900", "border-width": 5, "font-weight": "bold" } },
  { selector: "node:selected", style: { "overlay-color": "#f2a900", "overlay-opacity": 0.25 } },
  {
    selector: "edge",
    style: {
      label: "data(label)",
      "font-family": FONT,
      "font-size": 11,
      color: "#2b333b",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.92,
      "text-background-padding": 2,
      "text-background-shape": "roundrectangle",
      width: 1.6,
      "line-color": "#56606b",
      "target-arrow-color": "#56606b",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.8,
      "curve-style": "bezier",
    },
  },
  { selector: "edge.legal_representative, edge.principal", style: { width: 3, "line-color": "#1f2933", "target-arrow-color": "#1f2933" } },
  { selector: "edge.owns", style: { "line-color": "#2f6fb3", "target-arrow-color": "#2f6fb3" } },
  { selector: "edge.actual_controller", style: { "line-color": "#8e44ad", "target-arrow-color": "#8e44ad", width: 2.5 } },
  { selector: "edge.names, edge.against", style: { "line-color": "#b3261e", "target-arrow-color": "#b3261e" } },
  { selector: "edge.registered_at", style: { "line-color": "#2e8b57", "target-arrow-color": "#2e8b57" } },
  { selector: "edge.ended", style: { "line-style": "dashed", "line-color": "#b8bec5", "target-arrow-color": "#b8bec5", color: "#9aa3ad", width: 1.4 } },
  { selector: "edge.link", style: { "line-style": "dotted", "line-color": "#8e44ad", "target-arrow-color": "#8e44ad" } },
  { selector: ".faded", style: { opacity: 0.15 } },
  { selector: "node.hl", style: { "border-color": "#f2a900", "border-width": 6, opacity: 1 } },
  { selector: "edge.hl", style: { "line-color": "#f2a900", "target-arrow-color": "#f2a900", width: 5, opacity: 1, "z-index": 10 } },
];

/** The label of an edge: role (Chinese; every role of a merged path), share, dates. */
export function edgeLabel(edge) {
  const parts = [];
  if (edge.type === "HOLDS") parts.push((edge.roles?.length > 1 ? edge.roles : [edge.role]).map((role) => ROLE_ZH[role] || role).join(" / "));
  else if (edge.type === "OWNS") parts.push(`持股 ${pct(edge.share)}`);
  else if (edge.type === "NAMES") parts.push(`点名 ${ROLE_ZH[edge.capacity] || edge.capacity || ""}`);
  else if (edge.type === "AGAINST") parts.push("认定");
  else if (edge.type === "REGISTERED_AT") parts.push(`执业 ${edge.qualification || ""}`);
  else if (edge.type === "SUPERVISED_BY") parts.push("主管");
  else parts.push(edge.type);
  const dates = period(edge.start_date, edge.end_date);
  if (dates) parts.push(dates);
  return parts.join(" · ");
}

function nodeElement(node, center) {
  const classes = [node.kind.toLowerCase()];
  for (const flag of node.flags || []) classes.push(flag.toLowerCase());
  if (node.kind === "FINDING" && node.status && node.status !== "ACTIVE") classes.push("inactive");
  if (node.id === center) classes.push("center");
  return { group: "nodes", data: { id: node.id, label: node.label, node }, classes: classes.join(" ") };
}

function edgeElement(edge) {
  const classes = [edge.type.toLowerCase()];
  if (edge.role) classes.push(edge.role.toLowerCase());
  if (edge.ended) classes.push("ended");
  return {
    group: "edges",
    data: { id: `r${edge.id}`, source: edge.source, target: edge.target, label: edgeLabel(edge), edge },
    classes: classes.join(" "),
  };
}

export class Graph {
  constructor(container, { onSelect, onExpand }) {
    this.cy = cytoscape({
      container,
      style: STYLE,
      minZoom: 0.15,
      maxZoom: 3,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
    });
    this.cy.on("tap", "node", (event) => onSelect(event.target.data("node")));
    this.cy.on("dbltap", "node", (event) => onExpand(event.target.data("node")));
    this.cy.on("tap", (event) => {
      if (event.target === this.cy) onSelect(null);
    });
  }

  /** Replace the graph with a Network (or a list of paths' nodes and edges). */
  show(nodes, edges, center) {
    this.cy.elements().remove();
    this.merge(nodes, edges, center, true);
  }

  /** Add nodes and edges not yet shown, then lay out; returns the number of new nodes. */
  merge(nodes, edges, center, randomize = false) {
    const fresh = [];
    for (const node of nodes) {
      if (this.cy.getElementById(node.id).empty()) fresh.push(nodeElement(node, center));
    }
    for (const edge of edges) {
      if (this.cy.getElementById(`r${edge.id}`).empty()) fresh.push(edgeElement(edge));
    }
    const added = this.cy.add(fresh);
    this.placeNear(added.nodes());
    if (center) {
      this.cy.nodes().removeClass("center");
      this.cy.getElementById(center).addClass("center");
    }
    this.layout(randomize);
    return fresh.filter((element) => element.group === "nodes").length;
  }

  /** Add a synthetic link (e.g. a declared control) between two shown nodes, once. */
  link(source, target, label) {
    const id = `link:${source}->${target}`;
    if (this.cy.getElementById(id).nonempty()) return;
    this.cy.add({ group: "edges", data: { id, source, target, label }, classes: "link" });
  }

  /** Add a node from a minimal description when it is not shown yet. */
  ensureNode(node) {
    if (this.cy.getElementById(node.id).empty()) this.cy.add(nodeElement(node, null));
  }

  /** Put new nodes next to a shown neighbour, so an expansion grows where it was asked. */
  placeNear(nodes) {
    nodes.forEach((node, i) => {
      const anchor = node.neighborhood("node").difference(nodes)[0];
      if (!anchor) return;
      const angle = (2 * Math.PI * i) / Math.max(nodes.length, 1);
      const at = anchor.position();
      node.position({ x: at.x + 80 * Math.cos(angle), y: at.y + 80 * Math.sin(angle) });
    });
  }

  /** Force-directed layout (cose); ``randomize`` for a fresh graph, else refine positions. */
  layout(randomize = false) {
    const count = this.cy.nodes().length;
    this.cy
      .layout({
        name: "cose",
        animate: false,
        randomize,
        nodeDimensionsIncludeLabels: true,
        nodeRepulsion: () => (count > 80 ? 30000 : 60000),
        nodeOverlap: 20,
        idealEdgeLength: () => (count > 80 ? 60 : 90),
        edgeElasticity: () => 100,
        gravity: 0.25,
        numIter: 1500,
        componentSpacing: 80,
        fit: true,
        padding: 40,
      })
      .run();
  }

  fit() {
    this.cy.fit(undefined, 30);
  }

  /** Highlight nodes (ids) and the edges among consecutive ones; fade the rest. */
  highlight(nodeIds, edgeIds = []) {
    this.clearHighlight();
    const nodes = this.cy.collection();
    for (const id of nodeIds) nodes.merge(this.cy.getElementById(id));
    let edges = this.cy.collection();
    for (const id of edgeIds) edges = edges.union(this.cy.getElementById(`r${id}`));
    for (let i = 0; i + 1 < nodeIds.length; i += 1) {
      const a = this.cy.getElementById(nodeIds[i]);
      const b = this.cy.getElementById(nodeIds[i + 1]);
      if (a.nonempty() && b.nonempty()) edges = edges.union(a.edgesWith(b));
    }
    if (nodes.empty()) return 0;
    this.cy.elements().addClass("faded");
    nodes.union(edges).removeClass("faded").addClass("hl");
    this.cy.fit(nodes.union(edges), 60);
    if (this.cy.zoom() > MAX_FOCUS_ZOOM) {
      this.cy.zoom(MAX_FOCUS_ZOOM);
      this.cy.center(nodes);
    }
    return nodes.length;
  }

  clearHighlight() {
    this.cy.elements().removeClass("faded hl");
  }

  /** What is on screen, for tests and the status line. */
  summary() {
    return {
      nodes: this.cy.nodes().map((n) => ({ id: n.id(), label: n.data("label"), classes: n.classes() })),
      edges: this.cy.edges().map((e) => ({ id: e.id(), label: e.data("label"), classes: e.classes() })),
      highlighted: this.cy.elements(".hl").map((e) => e.id()),
    };
  }
}
