/*
 * Draws the boundaries of a province's districts or a district's subdistricts with Leaflet,
 * on a plain background (the site loads no map tiles). Each area shows its name and opens its
 * page on click or Enter. The page always lists the same areas in a table, so the map is an
 * addition: it stays hidden unless it has something to draw.
 *
 * Markup: <div class="map" hidden data-geo-map data-geojson-url="..." data-highlight="code"
 *          data-attribution="..." role="region" aria-label="...">
 */
(function () {
  "use strict";

  var english = (document.documentElement.lang || "th").indexOf("en") === 0;
  var plain = { color: "#0b4f8a", weight: 1.5, fillColor: "#5b8fc7", fillOpacity: 0.25 };
  var strong = { color: "#a4161a", weight: 3, fillColor: "#a4161a", fillOpacity: 0.35 };

  function nameOf(properties) {
    return english && properties.name_en ? properties.name_en : properties.name_th;
  }

  function label(text) {
    // Names go in as text, never as HTML.
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function makeFocusable(layer, name, url) {
    var element = layer.getElement && layer.getElement();
    if (!element) {
      return;
    }
    element.setAttribute("tabindex", "0");
    element.setAttribute("role", "link");
    element.setAttribute("aria-label", name);
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        window.location.href = url;
      }
    });
    element.addEventListener("focus", function () { layer.openTooltip(); });
    element.addEventListener("blur", function () { layer.closeTooltip(); });
  }

  function draw(container, collection) {
    var highlight = container.getAttribute("data-highlight");
    var highlighted = null;
    container.hidden = false;
    var help = container.nextElementSibling;
    if (help && help.classList.contains("map-help")) {
      help.hidden = false;
    }
    var map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false });
    // A plain prefix: this is a public-sector site, so the map carries no other message.
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var attribution = container.getAttribute("data-attribution");
    if (attribution) {
      map.attributionControl.addAttribution(attribution.replace(/</g, "&lt;"));
    }
    var layer = L.geoJSON(collection, {
      style: function (feature) {
        return feature.properties.code === highlight ? strong : plain;
      },
      onEachFeature: function (feature, featureLayer) {
        var name = nameOf(feature.properties);
        featureLayer.bindTooltip(label(name), { sticky: true, className: "geo-tooltip" });
        featureLayer.on("click", function () { window.location.href = feature.properties.url; });
        if (feature.properties.code === highlight) {
          highlighted = featureLayer;
        }
      }
    }).addTo(map);
    // Around a highlighted area, leave room to see its neighbours.
    var bounds = highlighted ? highlighted.getBounds().pad(1) : layer.getBounds();
    map.fitBounds(bounds, { padding: [12, 12] });
    // The shapes exist only once the map has a view, so they become focusable after it.
    layer.eachLayer(function (featureLayer) {
      var properties = featureLayer.feature.properties;
      makeFocusable(featureLayer, nameOf(properties), properties.url);
    });
    if (highlighted) {
      highlighted.bringToFront();
    }
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
        // The table beside the map holds the same information; nothing more to do.
        container.hidden = true;
      });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-geo-map]"), load);
})();
