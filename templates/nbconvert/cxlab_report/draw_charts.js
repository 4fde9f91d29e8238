// Draws every chart container of the cxlab report with the inlined vega-embed (window.vegaEmbed).
// No action menu: its "Open in Vega Editor" link would leave the machine. A failure is shown in its own
// container, never swallowed.
(function () {
  var options = { actions: false, renderer: "svg" };
  document.querySelectorAll("figure.cx-chart").forEach(function (figure) {
    var source = figure.querySelector("script.cx-chart-spec");
    if (!source) { return; }
    var view = figure.querySelector(".cx-chart-view");
    function fail(err) {
      view.textContent = "Chart error: " + err;
      figure.classList.add("cx-chart-error");
    }
    try {
      window.vegaEmbed(view, JSON.parse(source.textContent), options).catch(fail);
    } catch (err) {
      fail(err);
    }
  });
})();
