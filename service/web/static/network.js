// The network page: participants as nodes coloured by country, pairs as edges (dashed:
// suggested by the run; orange: met; thick green: MoU signed). Data comes from the JSON
// block the server put in the page; nothing is fetched. The legend's boxes filter by
// country and by kind of pair.
(function () {
  "use strict";
  var holder = document.getElementById("network");
  var source = document.getElementById("network-data");
  if (!holder || !source || typeof cytoscape !== "function") {
    return;
  }
  // Labels are drawn this many screen pixels high at any zoom, so that they stay readable
  // when the graph is fitted to a small screen or zoomed out, and never grow huge.
  var LABEL_PX = 13;
  var LABEL_WIDTH_PX = 150;
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
        code: node.country,
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
    minZoom: 0.1,
    maxZoom: 3,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          label: "data(label)",
          "font-size": LABEL_PX,
          "font-family": font,
          "text-wrap": "wrap",
          "text-max-width": LABEL_WIDTH_PX,
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.8,
          "text-background-padding": 1,
          color: "#1b1f24",
          width: 20,
          height: 20,
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
      { selector: ".filtered", style: { display: "none" } },
      {
        selector: "node:selected",
        style: { "border-width": 4, "border-color": "#c2410c", "font-weight": "bold" },
      },
    ],
  });

  // Keep labels LABEL_PX high on screen whatever the zoom.
  function scaleLabels() {
    var zoom = cy.zoom();
    cy.style()
      .selector("node")
      .style({
        "font-size": LABEL_PX / zoom,
        "text-max-width": LABEL_WIDTH_PX / zoom,
        width: 20 / zoom,
        height: 20 / zoom,
      })
      .update();
    if (cy.nodes().length) {
      holder.dataset.labelPx = String(parseFloat(cy.nodes().first().renderedStyle("font-size")));
    }
  }

  // Lay out, then fit the drawing to the whole canvas. The spread is set from the canvas'
  // shape and the number of participants, so that the drawing fills it instead of a corner.
  function layOut() {
    var visible = cy.elements().not(".filtered");
    var count = Math.max(visible.nodes().length, 1);
    var side = Math.sqrt((holder.clientWidth * holder.clientHeight) / count);
    visible
      .layout({
        name: "cose",
        animate: false,
        randomize: false,
        fit: true,
        padding: 24,
        nodeDimensionsIncludeLabels: false,
        nodeRepulsion: function () {
          return 4000 * side;
        },
        idealEdgeLength: function () {
          return side * 0.6;
        },
        componentSpacing: side * 0.5,
        gravity: 0.25,
      })
      .run();
    // Stretch the drawing to the canvas' shape: a square layout in a wide canvas would
    // otherwise leave both sides empty.
    var nodes = visible.nodes();
    var bb = nodes.boundingBox({ includeLabels: false });
    var want = holder.clientWidth / Math.max(holder.clientHeight, 1);
    if (nodes.length > 1 && bb.w > 0 && bb.h > 0) {
      var sx = Math.max(1, want / (bb.w / bb.h));
      var sy = Math.max(1, bb.w / bb.h / want);
      nodes.positions(function (node) {
        var p = node.position();
        return { x: bb.x1 + (p.x - bb.x1) * sx, y: bb.y1 + (p.y - bb.y1) * sy };
      });
    }
    cy.fit(visible, 24);
    scaleLabels();
    var box = nodes.renderedBoundingBox({ includeLabels: false });
    var fill = Math.min(box.w / holder.clientWidth, box.h / holder.clientHeight);
    holder.dataset.fill = fill.toFixed(2);
  }

  var detail = document.getElementById("network-detail");
  var picker = document.getElementById("focus-node");

  function focus(node) {
    cy.elements().removeClass("faded").unselect();
    if (!node || node.empty()) {
      detail.textContent = "";
      cy.fit(cy.elements().not(".filtered"), 24);
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

  function checked(id) {
    var shown = {};
    document.querySelectorAll("#" + id + " input[type=checkbox]").forEach(function (box) {
      shown[box.value] = box.checked;
    });
    return shown;
  }

  // Hide the participants of unticked countries and the pairs of unticked kinds.
  function filter() {
    var countries = checked("country-filter");
    var statuses = checked("status-filter");
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        node.toggleClass("filtered", countries[node.data("code")] === false);
      });
      cy.edges().forEach(function (edge) {
        var hidden = statuses[edge.data("status")] === false ||
          edge.source().hasClass("filtered") || edge.target().hasClass("filtered");
        edge.toggleClass("filtered", hidden);
      });
    });
    holder.dataset.shownNodes = String(cy.nodes().not(".filtered").length);
    holder.dataset.shownEdges = String(cy.edges().not(".filtered").length);
    layOut();
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
  cy.on("zoom", scaleLabels);
  picker.addEventListener("change", function () {
    focus(picker.value ? cy.getElementById("n" + picker.value) : null);
  });
  document.querySelectorAll(".filters input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", filter);
  });
  window.addEventListener("resize", function () {
    cy.fit(cy.elements().not(".filtered"), 24);
  });

  filter();
  // Read by the browser tests, and handy when debugging: what was drawn.
  holder.dataset.nodes = String(cy.nodes().length);
  holder.dataset.edges = String(cy.edges().length);
  holder.dataset.ready = "true";
})();
