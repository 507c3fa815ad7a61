// The network page: participants as nodes coloured by country, pairs as edges (dashed:
// suggested by the run; orange: met; thick green: MoU signed). Data comes from the JSON
// block the server put in the page; nothing is fetched.
(function () {
  "use strict";
  var holder = document.getElementById("network");
  var source = document.getElementById("network-data");
  if (!holder || !source || typeof cytoscape !== "function") {
    return;
  }
  var graph = JSON.parse(source.textContent);
  // The page's own fonts (Khmer, Thai, Han) for the labels drawn on the canvas.
  var font = window.getComputedStyle(document.body).fontFamily;
  var elements = [];
  graph.nodes.forEach(function (node) {
    elements.push({
      data: {
        id: "n" + node.id,
        label: node.label,
        color: node.color,
        country: node.countryName,
      },
    });
  });
  graph.edges.forEach(function (edge) {
    elements.push({
      data: {
        id: "e" + edge.a + "-" + edge.b,
        source: "n" + edge.a,
        target: "n" + edge.b,
        status: edge.status,
      },
    });
  });
  var cy = cytoscape({
    container: holder,
    elements: elements,
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 2.5,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          label: "data(label)",
          "font-size": 9,
          "font-family": font,
          "text-wrap": "ellipsis",
          "text-max-width": 110,
          "text-valign": "bottom",
          "text-margin-y": 3,
          color: "#1b1f24",
          width: 18,
          height: 18,
          "border-width": 1,
          "border-color": "#1b1f24",
        },
      },
      {
        selector: "edge",
        style: { width: 2, "line-color": "#6b7785", "curve-style": "bezier" },
      },
      { selector: "edge[status = 'suggested']", style: { "line-style": "dashed" } },
      { selector: "edge[status = 'met']", style: { "line-color": "#b35c00", width: 3 } },
      { selector: "edge[status = 'signed']", style: { "line-color": "#1d6b32", width: 5 } },
      { selector: ".faded", style: { opacity: 0.15 } },
      {
        selector: "node:selected",
        style: { "border-width": 4, "border-color": "#c2410c", "font-weight": "bold" },
      },
    ],
    layout: {
      name: "cose",
      animate: false,
      randomize: false,
      nodeDimensionsIncludeLabels: true,
      nodeRepulsion: 9000,
      idealEdgeLength: 90,
      componentSpacing: 60,
    },
  });

  var detail = document.getElementById("network-detail");
  var picker = document.getElementById("focus-node");

  function focus(node) {
    cy.elements().removeClass("faded").unselect();
    if (!node || node.empty()) {
      detail.textContent = "";
      cy.fit(undefined, 20);
      return;
    }
    var neighbourhood = node.closedNeighborhood();
    cy.elements().not(neighbourhood).addClass("faded");
    node.select();
    var partners = node.neighborhood("node").map(function (other) {
      return other.data("label");
    });
    detail.textContent =
      node.data("label") + " (" + node.data("country") + ")" +
      (partners.length ? ": " + partners.join(", ") : "");
    cy.animate({ fit: { eles: neighbourhood, padding: 40 } }, { duration: 200 });
  }

  cy.on("tap", "node", function (event) {
    picker.value = event.target.id().slice(1);
    focus(event.target);
  });
  cy.on("tap", function (event) {
    if (event.target === cy) {
      picker.value = "";
      focus(null);
    }
  });
  picker.addEventListener("change", function () {
    focus(picker.value ? cy.getElementById("n" + picker.value) : null);
  });

  // Read by the browser tests, and handy when debugging: what was drawn.
  holder.dataset.nodes = String(cy.nodes().length);
  holder.dataset.edges = String(cy.edges().length);
  holder.dataset.ready = "true";
})();
