/* copub partner map: draws the embedded network with sigma.js and lists the works behind
 * a node or a link. The data (see copub/networks/html_page.py) are gzipped JSON in
 * base64; nothing is fetched. Exposes window.copubMap for tests and for the curious. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById("copub-map-" + id);
  const ROWS = 1000; // rows listed before "show all"

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, (c) => (
      { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function pct(x) { return x == null || !isFinite(x) ? "–" : (100 * x).toFixed(1) + "%"; }
  function num(x) { return Number.isInteger(x) ? x.toLocaleString("en") : x.toFixed(2); }

  async function loadData() {
    const text = $("data").textContent.trim();
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }

  // First position in the sorted array `a` whose value is >= v.
  function lowerBound(a, v) {
    let lo = 0, hi = a.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid] < v) lo = mid + 1; else hi = mid; }
    return lo;
  }
  // Sorted intersection; binary search into the longer list when the lengths differ a lot.
  function intersect(a, b) {
    if (a.length > b.length) [a, b] = [b, a];
    const out = [];
    if (a.length * 16 < b.length) {
      let from = 0;
      for (const v of a) {
        let lo = from, hi = b.length;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (b[mid] < v) lo = mid + 1; else hi = mid; }
        if (lo < b.length && b[lo] === v) out.push(v);
        from = lo;
      }
      return Int32Array.from(out);
    }
    let i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++; else if (a[i] > b[j]) j++; else { out.push(a[i]); i++; j++; }
    }
    return Int32Array.from(out);
  }
  function prefix(list, value) {
    const p = new Float64Array(list.length + 1);
    for (let i = 0; i < list.length; i++) p[i + 1] = p[i] + value(list[i]);
    return p;
  }

  function build(data) {
    const W = data.works, N = data.nodes, E = data.edges;
    const yearOf = W.year;
    const years = Object.keys(data.universe).map(Number).sort((a, b) => a - b);
    const nodes = N.id.map((id, i) => {
      let at = 0;
      const list = Int32Array.from(N.works[i], (d) => (at += d));
      return {
        i, id, label: N.label[i] || id, x: N.x[i], y: N.y[i], category: N.category[i],
        groups: N.groups[i], country: N.country[i], note: N.note ? N.note[i] : "", list,
        frac: prefix(list, (w) => W.weight[w]),
        home: data.home.includes(i),
      };
    });
    const edges = E.source.map((s, k) => {
      const list = intersect(nodes[s].list, nodes[E.target[k]].list);
      return { k, s, t: E.target[k], list, frac: prefix(list, (w) => 1 / Math.max(W.n[w] - 1, 1)) };
    });
    // The works of year y are positions [start[y], start[y + 1]) of the table.
    const firstAt = (year) => lowerBound(yearOf, year);
    return { data, W, nodes, edges, years, firstAt };
  }

  function main(data) {
    const timings = { decoded: performance.now() };
    const M = build(data);
    timings.built = performance.now();
    const state = {
      from: M.years[0], to: M.years[M.years.length - 1], group: "", min: 0,
      counting: data.counting, selected: null,
    };
    const cats = data.categories;
    const range = () => [M.firstAt(state.from), M.firstAt(state.to + 1)];
    const span = (from, to) => [M.firstAt(from), M.firstAt(to + 1)];
    function counts(item, r) {
      const lo = lowerBound(item.list, r[0]), hi = lowerBound(item.list, r[1]);
      return { works: hi - lo, frac: item.frac[hi] - item.frac[lo], lo, hi };
    }
    function universe(from, to) {
      let n = 0, w = 0;
      for (const [y, v] of Object.entries(data.universe)) {
        if (+y >= from && +y <= to) { n += v[0]; w += v[1]; }
      }
      return { n, w };
    }
    const weightOf = (c) => (state.counting === "full" ? c.works : c.frac);

    // ---- the graph ----------------------------------------------------------
    const G = window.graphology;
    const graph = new (G.UndirectedGraph || G.Graph || G)();
    for (const n of M.nodes) {
      graph.addNode(n.id, { x: n.x, y: n.y, label: n.label, color: cats[n.category][2], size: 4 });
    }
    for (const e of M.edges) graph.addEdgeWithKey("e" + e.k, M.nodes[e.s].id, M.nodes[e.t].id, { size: 1 });
    const byId = new Map(M.nodes.map((n) => [n.id, n]));
    const edgeOf = (key) => M.edges[+key.slice(1)];
    const nodeWeight = new Float64Array(M.nodes.length);
    const edgeWeight = new Float64Array(M.edges.length);
    const nodeShown = new Uint8Array(M.nodes.length), edgeShown = new Uint8Array(M.edges.length);
    const nodeSize = new Float64Array(M.nodes.length), edgeSize = new Float64Array(M.edges.length);
    // Radial pages: distance already says how much each partner co-publishes with home, so
    // home's links are faint, and a link between partners is as dark as its association
    // strength c_ij / (c_i c_j) (full counts in the chosen years) is high.
    const radial = (data.rings || []).length > 0;
    const edgeColour = new Array(M.edges.length).fill(null);

    function recompute() {
      const r = range();
      let maxN = 0, maxE = 0;
      for (const n of M.nodes) {
        const c = counts(n, r);
        nodeWeight[n.i] = state.counting === "full" ? c.works : c.frac;
        const group = state.group === "" || n.home || cats[n.category][0] === state.group;
        nodeShown[n.i] = c.works > 0 && group ? 1 : 0;
        if (nodeShown[n.i]) maxN = Math.max(maxN, nodeWeight[n.i]);
      }
      for (const e of M.edges) {
        const c = counts(e, r);
        edgeWeight[e.k] = weightOf(c);
        edgeShown[e.k] = nodeShown[e.s] && nodeShown[e.t] && c.works > 0 && edgeWeight[e.k] >= state.min ? 1 : 0;
        if (edgeShown[e.k]) maxE = Math.max(maxE, edgeWeight[e.k]);
      }
      for (const n of M.nodes) nodeSize[n.i] = 3 + 22 * Math.sqrt(maxN ? nodeWeight[n.i] / maxN : 0);
      for (const e of M.edges) edgeSize[e.k] = 0.5 + 7 * Math.sqrt(maxE ? edgeWeight[e.k] / maxE : 0);
      if (radial) {
        const works = M.nodes.map((n) => counts(n, r).works);
        const assoc = new Float64Array(M.edges.length);
        let maxA = 0;
        for (const e of M.edges) {
          if (!edgeShown[e.k] || M.nodes[e.s].home || M.nodes[e.t].home) continue;
          assoc[e.k] = counts(e, r).works / (works[e.s] * works[e.t]);
          maxA = Math.max(maxA, assoc[e.k]);
        }
        for (const e of M.edges) {
          const home = M.nodes[e.s].home || M.nodes[e.t].home;
          const alpha = home ? 0.1 : 0.06 + 0.74 * Math.sqrt(maxA ? assoc[e.k] / maxA : 0);
          edgeColour[e.k] = (home ? "rgba(154,167,180," : "rgba(70,70,70,") + alpha.toFixed(3) + ")";
        }
      }
      if (state.selected) show(state.selected);
    }

    timings.graph = performance.now();
    const container = $("graph");
    container.textContent = "";
    const SigmaClass = (window.Sigma && window.Sigma.Sigma) || window.Sigma;
    let hovered = null;
    const renderer = new SigmaClass(graph, container, {
      enableEdgeEvents: true,
      defaultEdgeColor: "#b9c3cc",
      labelRenderedSizeThreshold: 6,
      zIndex: true,
      nodeReducer: (node, attrs) => {
        const n = byId.get(node);
        const out = Object.assign({}, attrs);
        out.size = nodeSize[n.i];
        if (!nodeShown[n.i]) out.hidden = true;
        if (hovered === node || (state.selected && state.selected.node === node)) {
          out.highlighted = true; out.zIndex = 2;
        }
        return out;
      },
      edgeReducer: (edge, attrs) => {
        const e = edgeOf(edge);
        const out = Object.assign({}, attrs);
        out.size = edgeSize[e.k];
        if (!edgeShown[e.k]) out.hidden = true;
        if (edgeColour[e.k]) out.color = edgeColour[e.k];
        if (state.selected && state.selected.edge === edge) { out.color = "#0072B2"; out.zIndex = 2; }
        else if (hovered === edge) out.color = "#555";
        return out;
      },
    });
    if (data.kind !== "author" && data.home.length === 1) {
      // Home in the centre: a square frame around it, wide enough for every node.
      let r = 0;
      for (const n of M.nodes) r = Math.max(r, Math.abs(n.x), Math.abs(n.y));
      for (const ring of data.rings || []) r = Math.max(r, ring.radius);
      renderer.setCustomBBox({ x: [-r, r], y: [-r, r] });
    }
    if ((data.rings || []).length) {
      // Ring guides over the links, under the nodes: the distance of a partner with that many
      // co-publications with home; labelled in the empty sector kept for them.
      const canvas = renderer.createCanvas("copubRings", { beforeLayer: "nodes" });
      const outer = Math.max(...data.rings.map((ring) => ring.radius));
      const drawRings = () => {
        const { width, height } = renderer.getDimensions();
        const ratio = window.devicePixelRatio || 1;
        canvas.width = width * ratio; canvas.height = height * ratio;
        canvas.style.width = width + "px"; canvas.style.height = height + "px";
        const ctx = canvas.getContext("2d");
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.clearRect(0, 0, width, height);
        const c = renderer.graphToViewport({ x: 0, y: 0 });
        ctx.font = "11px system-ui, sans-serif";
        ctx.textAlign = "center"; ctx.textBaseline = "middle";
        for (const ring of data.rings) {
          const p = renderer.graphToViewport({
            x: ring.radius * Math.cos(data.label_angle), y: ring.radius * Math.sin(data.label_angle),
          });
          const px = Math.hypot(p.x - c.x, p.y - c.y);
          ctx.setLineDash([4, 4]); ctx.strokeStyle = "#c9d1d9"; ctx.lineWidth = 1;
          ctx.beginPath(); ctx.arc(c.x, c.y, px, 0, 2 * Math.PI); ctx.stroke();
          const text = ring.radius === outer ? ring.label : ring.number;
          const w = ctx.measureText(text).width;
          ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fillRect(p.x - w / 2 - 2, p.y - 7, w + 4, 14);
          ctx.fillStyle = "#6b7785"; ctx.fillText(text, p.x, p.y);
        }
      };
      renderer.on("afterRender", drawRings);
    }

    // ---- numbers: hover tip and panel -----------------------------------------
    function nodeNumbers(n) {
      const c = counts(n, range());
      const u = universe(state.from, state.to);
      const b = counts(n, span(...data.baseline)), p = counts(n, span(...data.plan));
      const ub = universe(...data.baseline), up = universe(...data.plan);
      return [
        ["works (full)", num(c.works)], ["works (fractional)", num(c.frac)],
        ["share of home's works", pct(u.n ? c.works / u.n : null)],
        ["partner group", cats[n.category][1] + (n.groups ? " (" + n.groups + ")" : "")],
        ["trend " + data.baseline.join("–") + " → " + data.plan.join("–"),
          pct(ub.n ? b.works / ub.n : null) + " → " + pct(up.n ? p.works / up.n : null)],
        ...(n.note ? [["policy note", n.note]] : []),  // the context of the numbers above
      ];
    }
    function edgeNumbers(e) {
      const c = counts(e, range());
      const u = universe(state.from, state.to);
      const b = counts(e, span(...data.baseline)), p = counts(e, span(...data.plan));
      const ub = universe(...data.baseline), up = universe(...data.plan);
      const [a, z] = [M.nodes[e.s], M.nodes[e.t]];
      return [
        ["works (full)", num(c.works)], ["works (fractional)", num(c.frac)],
        ["share of home's works", pct(u.n ? c.works / u.n : null)],
        ["partner group", cats[a.category][1] + " – " + cats[z.category][1]],
        ["trend " + data.baseline.join("–") + " → " + data.plan.join("–"),
          pct(ub.n ? b.works / ub.n : null) + " → " + pct(up.n ? p.works / up.n : null) +
          " (" + b.works + " → " + p.works + " works)"],
      ];
    }
    const rows = (pairs) => "<table>" + pairs.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join("") + "</table>";
    const nameOf = (n) => (n.label === n.id ? n.id : `${n.label} (${n.id})`);
    const tip = $("tip");
    let mouse = { x: 0, y: 0 };
    container.addEventListener("mousemove", (ev) => {
      mouse = { x: ev.clientX, y: ev.clientY };
      tip.style.left = mouse.x + 14 + "px"; tip.style.top = mouse.y + 14 + "px";
    });
    function tipShow(html) {
      tip.innerHTML = html; tip.hidden = false;
      tip.style.left = mouse.x + 14 + "px"; tip.style.top = mouse.y + 14 + "px";
    }
    function tipHide() { tip.hidden = true; }
    renderer.on("enterNode", ({ node }) => {
      hovered = node; const n = byId.get(node);
      tipShow(`<b>${esc(nameOf(n))}</b>` + rows(nodeNumbers(n))); renderer.refresh();
    });
    renderer.on("leaveNode", () => { hovered = null; tipHide(); renderer.refresh(); });
    renderer.on("enterEdge", ({ edge }) => {
      hovered = edge; const e = edgeOf(edge);
      tipShow(`<b>${esc(nameOf(M.nodes[e.s]))} – ${esc(nameOf(M.nodes[e.t]))}</b>` + rows(edgeNumbers(e)));
      renderer.refresh();
    });
    renderer.on("leaveEdge", () => { hovered = null; tipHide(); renderer.refresh(); });

    // ---- the works behind a node or a link --------------------------------------
    const panel = $("panel");
    const W = M.W;
    function workRow(w) {
      const doi = W.doi[w], id = W.id[w];
      const type = W.type[w] == null ? "" : W.types[W.type[w]];
      const doiLink = doi ? `<a href="https://doi.org/${esc(doi)}" rel="noopener">${esc(doi)}</a>` : "";
      return `<tr data-work="${esc(id)}"><td>${W.year[w]}</td><td>${esc(W.title[w])}</td>` +
        `<td>${esc(type)}</td><td>${esc(W.authors[w])}</td><td>${doiLink}</td>` +
        `<td>${pageLink(id)}</td></tr>`;
    }
    // copub's invented ids (data.no_page) have no OpenAlex page: the id, not a dead link.
    const noPage = M.data.no_page ? new RegExp(M.data.no_page) : null;
    function pageLink(id) {
      if (noPage && noPage.test(id)) return `${esc(id)} <small>(synthetic: no OpenAlex page)</small>`;
      return `<a href="https://openalex.org/${esc(id)}" rel="noopener">${esc(id)}</a>`;
    }
    function worksTable(item, all) {
      const c = counts(item, range());
      const shown = all ? c.hi - c.lo : Math.min(ROWS, c.hi - c.lo);
      let body = "";
      for (let i = c.lo; i < c.lo + shown; i++) body += workRow(item.list[i]);
      const more = shown < c.hi - c.lo
        ? `<p>Showing the first ${ROWS.toLocaleString("en")} works. <button type="button" id="copub-map-all">Show all ${(c.hi - c.lo).toLocaleString("en")}</button></p>` : "";
      return `<h3><span id="copub-map-count">${c.works}</span> works, ${state.from}–${state.to}, by year</h3>${more}` +
        `<table id="copub-map-works"><thead><tr><th>Year</th><th>Title</th><th>Type</th><th>First authors</th>` +
        `<th>DOI</th><th>OpenAlex</th></tr></thead><tbody>${body}</tbody></table>`;
    }
    function show(selection, all) {
      state.selected = selection;
      let head, item, links = "";
      if (selection.node) {
        const n = byId.get(selection.node); item = n;
        head = `<h3 id="copub-map-selected" data-node="${esc(n.id)}">${esc(nameOf(n))}</h3>` + rows(nodeNumbers(n));
        const mine = M.edges.filter((e) => (e.s === n.i || e.t === n.i) && edgeShown[e.k])
          .sort((a, b) => edgeWeight[b.k] - edgeWeight[a.k]);
        links = `<details class="cm-links" open><summary>${mine.length} links</summary><ul>` +
          mine.map((e) => {
            const other = M.nodes[e.s === n.i ? e.t : e.s];
            return `<li><button type="button" data-edge="e${e.k}">${esc(nameOf(other))}</button> ${num(edgeWeight[e.k])}</li>`;
          }).join("") + "</ul></details>";
      } else {
        const e = edgeOf(selection.edge); item = e;
        const [a, z] = [M.nodes[e.s], M.nodes[e.t]];
        head = `<h3 id="copub-map-selected" data-edge="${esc(a.id)}|${esc(z.id)}">${esc(nameOf(a))} – ${esc(nameOf(z))}</h3>` + rows(edgeNumbers(e));
      }
      panel.innerHTML = head + links + worksTable(item, all);
      const button = $("all");
      if (button) button.addEventListener("click", () => show(selection, true));
      renderer.refresh();
    }
    panel.addEventListener("click", (ev) => {
      const target = ev.target.closest("button[data-edge]");
      if (target) show({ edge: target.dataset.edge });
    });
    renderer.on("clickNode", ({ node }) => show({ node }));
    renderer.on("clickEdge", ({ edge }) => show({ edge }));

    // ---- controls -----------------------------------------------------------
    const from = $("from"), to = $("to");
    for (const y of M.years) { from.add(new Option(y, y)); to.add(new Option(y, y)); }
    from.value = state.from; to.value = state.to;
    const groupSelect = $("group");
    const present = new Set(M.nodes.map((n) => n.category));
    cats.forEach(([key, label], i) => { if (key !== "home" && present.has(i)) groupSelect.add(new Option(label, key)); });
    document.querySelectorAll('input[name="copub-map-counting"]').forEach((r) => { r.checked = r.value === state.counting; });
    function update() {
      state.from = Math.min(+from.value, +to.value); state.to = Math.max(+from.value, +to.value);
      state.group = groupSelect.value; state.min = Math.max(0, +$("min").value || 0);
      state.counting = document.querySelector('input[name="copub-map-counting"]:checked').value;
      recompute(); renderer.refresh();
    }
    $("controls").addEventListener("change", update);
    const names = $("names");
    for (const n of M.nodes) names.append(new Option(nameOf(n), n.id));
    function find(text) {
      const q = text.trim().toLowerCase();
      if (!q) return null;
      return M.nodes.find((n) => n.id.toLowerCase() === q || n.label.toLowerCase() === q || nameOf(n).toLowerCase() === q) ||
        M.nodes.find((n) => n.label.toLowerCase().includes(q));
    }
    function go(ev) {
      const n = find(ev.target.value);
      if (!n) return;
      const at = renderer.getNodeDisplayData(n.id);
      if (at) renderer.getCamera().animate({ x: at.x, y: at.y, ratio: 0.4 }, { duration: 400 });
      show({ node: n.id });
    }
    $("search").addEventListener("change", go);
    $("search").addEventListener("keydown", (ev) => { if (ev.key === "Enter") go(ev); });
    const legend = $("legend");
    legend.innerHTML = cats.filter((c, i) => present.has(i))
      .map(([, label, colour]) => `<span style="--c:${colour}">${esc(label)}</span>`).join("") +
      "<span style=\"--c:transparent;border:none\">" +
      (radial ? "distance from centre: co-publications with home (dashed rings); " : "") +
      "size: works; link width: weight" +
      (radial ? "; link darkness: association strength" : "") + "</span>";

    timings.sigma = performance.now();
    recompute(); renderer.refresh();
    timings.drawn = performance.now();
    window.copubMap = { graph, renderer, state, model: M, show, update, timings, ready: true };
  }

  loadData().then(main).catch((err) => {
    $("graph").innerHTML = `<p class="cm-loading">The map could not be drawn: ${esc(err && err.message)}</p>`;
    window.copubMap = { error: String(err), ready: true };
    console.error(err);
  });
})();
