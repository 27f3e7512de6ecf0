// The explorer's drawing as a Streamlit component, speaking the component protocol
// (apiVersion 1) over window.postMessage by hand: no build step, no npm.
//
// In:  "streamlit:render" with args {nodes, edges, options, version, legend, height}.
// Out: {action: "focus" | "expand", node: <opaque id>, version, nonce} on a click
//      (focus) or a double-click / right-click (expand).
// Everything from the data is set as text (textContent, vis-network's canvas labels
// and innerText tooltips), never as HTML.
(function () {
  "use strict";
  var DOUBLE_CLICK_MS = 350;
  var network = null;
  var version = null;
  var pending = null;
  var sent = 0;

  function send(type, data) {
    window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, data), "*");
  }

  function fitFrame() {
    send("streamlit:setFrameHeight", {height: document.documentElement.scrollHeight});
  }

  function choose(action, node) {
    sent += 1;
    var nonce = Date.now().toString(36) + "-" + sent + "-" + Math.random().toString(36).slice(2, 8);
    send("streamlit:setComponentValue",
         {value: {action: action, node: node, version: version, nonce: nonce}, dataType: "json"});
  }

  function drawLegend(rows) {
    var box = document.getElementById("legend");
    box.replaceChildren();
    rows.forEach(function (row, index) {
      if (index > 0) box.appendChild(document.createElement("br"));
      row.forEach(function (key) {
        var span = document.createElement("span");
        var symbol = document.createElement("i");
        span.className = "key";
        symbol.textContent = key[0];
        if (key[1]) symbol.style.color = key[1];
        span.appendChild(symbol);
        span.appendChild(document.createTextNode(" " + key[2]));
        box.appendChild(span);
      });
    });
  }

  function draw(args) {
    var box = document.getElementById("network");
    box.style.height = args.height + "px";
    drawLegend(args.legend);
    document.getElementById("info").textContent = args.summary;
    if (network !== null) network.destroy();
    var nodes = new vis.DataSet(args.nodes);
    var edges = new vis.DataSet(args.edges);
    network = new vis.Network(box, {nodes: nodes, edges: edges}, args.options);
    version = args.version;
    window.credgraphSettled = !args.options.physics.enabled;
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
      network.fit();
      window.credgraphSettled = true;
    });
    network.on("click", function (params) {
      if (!params.nodes.length) return;
      var id = params.nodes[0];
      var node = nodes.get(id);
      document.getElementById("info").textContent = node.title || node.label;
      clearTimeout(pending);
      pending = setTimeout(function () { choose("focus", id); }, DOUBLE_CLICK_MS);
    });
    network.on("doubleClick", function (params) {
      clearTimeout(pending);
      if (params.nodes.length) choose("expand", params.nodes[0]);
    });
    network.on("oncontext", function (params) {
      var id = network.getNodeAt(params.pointer.DOM);
      if (id === undefined) return;
      params.event.preventDefault();
      clearTimeout(pending);
      choose("expand", id);
    });
    window.credgraphNetwork = network;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.type !== "streamlit:render") return;
    if (data.args.version !== version) draw(data.args);
    fitFrame();
  });
  // A drawing made in a hidden tab has no size: fit it when it gets one.
  new ResizeObserver(function () {
    if (network !== null) network.fit();
    fitFrame();
  }).observe(document.body);
  send("streamlit:componentReady", {apiVersion: 1});
})();
