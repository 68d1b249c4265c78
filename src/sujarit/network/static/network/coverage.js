/*
 * Draws the subdistricts of the province coloured by MOU coverage, with Leaflet and no
 * tiles. The page lists the same subdistricts in a table, so the map is an addition: it stays
 * hidden unless it has something to draw.
 *
 * Markup: <div class="map" hidden data-coverage-map data-geojson-url="..."
 *          data-attribution="..." data-covered-label="..." data-uncovered-label="..." role="region">
 */
(function () {
  "use strict";

  var english = (document.documentElement.lang || "th").indexOf("en") === 0;
  var covered = { color: "#1d5e3a", weight: 1, fillColor: "#2e8b57", fillOpacity: 0.7 };
  var uncovered = { color: "#0b4f8a", weight: 1, fillColor: "#eef2f5", fillOpacity: 0.6 };

  function nameOf(properties) {
    return english && properties.name_en ? properties.name_en : properties.name_th;
  }

  function tooltip(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function draw(container, collection) {
    container.hidden = false;
    var help = container.nextElementSibling;
    if (help && help.classList.contains("map-help")) {
      help.hidden = false;
    }
    var coveredLabel = container.getAttribute("data-covered-label") || "";
    var uncoveredLabel = container.getAttribute("data-uncovered-label") || "";
    var map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var attribution = container.getAttribute("data-attribution");
    if (attribution) {
      map.attributionControl.addAttribution(attribution.replace(/</g, "&lt;"));
    }
    var layer = L.geoJSON(collection, {
      style: function (feature) {
        return feature.properties.covered ? covered : uncovered;
      },
      onEachFeature: function (feature, featureLayer) {
        var properties = feature.properties;
        var text = nameOf(properties) + " — " + (properties.covered ? coveredLabel : uncoveredLabel);
        featureLayer.bindTooltip(tooltip(text), { sticky: true });
        featureLayer.on("click", function () { window.location.href = properties.url; });
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    layer.eachLayer(function (featureLayer) {
      var element = featureLayer.getElement && featureLayer.getElement();
      var properties = featureLayer.feature.properties;
      if (!element) {
        return;
      }
      element.setAttribute("tabindex", "0");
      element.setAttribute("role", "link");
      element.setAttribute(
        "aria-label",
        nameOf(properties) + " — " + (properties.covered ? coveredLabel : uncoveredLabel)
      );
      element.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          window.location.href = properties.url;
        }
      });
    });
  }

  function load(container) {
    var url = container.getAttribute("data-geojson-url");
    if (!url || typeof L === "undefined" || !window.fetch) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        if (collection.features && collection.features.length) {
          draw(container, collection);
        }
      })
      .catch(function () {
        container.hidden = true;
      });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-coverage-map]"), load);
})();
