/*
 * The citizen's pages, made easier with JavaScript; every page works without it.
 *
 * - After a refused submit, focus moves to the list of problems (or the first invalid field).
 * - The contact fields show only for confidential and named reports (without JavaScript they
 *   stay on the page and the server ignores them for an anonymous report).
 * - "Where and when did you report it" shows only when "already reported elsewhere" is ticked.
 * - A map drawn from the site's own district and subdistrict boundaries (no tiles): tapping
 *   it marks the place and fills the latitude and longitude fields; tapping a subdistrict
 *   chooses it in the list; choosing a subdistrict in the list shows it on the map.
 */
(function () {
  "use strict";

  function focusProblems() {
    var summary = document.getElementById("error-summary");
    var target = summary || document.querySelector("[aria-invalid='true']");
    if (target) {
      target.focus();
    }
  }

  function toggleContact(form) {
    var contact = form.querySelector("[data-contact]");
    var radios = form.querySelectorAll("input[name='identity']");
    if (!contact || !radios.length) {
      return;
    }
    var note = contact.querySelector("[data-no-js-note]");
    if (note) {
      note.hidden = true;
    }
    function update() {
      var chosen = form.querySelector("input[name='identity']:checked");
      contact.hidden = chosen !== null && chosen.value === "anonymous";
    }
    Array.prototype.forEach.call(radios, function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  function toggleElsewhere(form) {
    var box = form.querySelector("input[name='reported_elsewhere']");
    var detail = form.querySelector("[data-elsewhere-detail]");
    if (!box || !detail) {
      return;
    }
    function update() {
      detail.hidden = !box.checked;
    }
    box.addEventListener("change", update);
    update();
  }

  // --- the map ---------------------------------------------------------------------------

  var english = (document.documentElement.lang || "th").indexOf("en") === 0;
  var districtStyle = { color: "#0b4f8a", weight: 1.5, fillColor: "#5b8fc7", fillOpacity: 0.2 };
  var quietDistrict = { color: "#7a98b5", weight: 1, fillColor: "#cfdbe6", fillOpacity: 0.15 };
  var subdistrictStyle = { color: "#0b4f8a", weight: 1.5, fillColor: "#5b8fc7", fillOpacity: 0.25 };
  var chosenStyle = { color: "#a4161a", weight: 3, fillColor: "#a4161a", fillOpacity: 0.25 };

  function nameOf(properties) {
    return english && properties.name_en ? properties.name_en : properties.name_th;
  }

  function textLabel(text) {
    // Names go in as text, never as HTML.
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
  }

  function setupMap(form) {
    var container = form.querySelector("[data-intake-map]");
    if (!container || typeof L === "undefined" || !window.fetch) {
      return;
    }
    var select = form.querySelector("select[name='subdistrict']");
    var latitude = form.querySelector("input[name='latitude']");
    var longitude = form.querySelector("input[name='longitude']");
    var clear = form.querySelector("[data-clear-point]");
    var help = container.parentNode.querySelector(".map-help");
    var map = null;
    var districts = null;
    var subdistricts = null;
    var loadedDistrict = null;
    var marker = null;

    function highlight(code) {
      if (!subdistricts) {
        return;
      }
      subdistricts.eachLayer(function (layer) {
        var chosen = layer.feature.properties.code === code;
        layer.setStyle(chosen ? chosenStyle : subdistrictStyle);
        if (chosen) {
          layer.bringToFront();
        }
      });
    }

    function choose(code) {
      if (select && select.querySelector("option[value='" + code + "']")) {
        select.value = code;
      }
      highlight(code);
    }

    function showPoint(lat, lng) {
      if (marker) {
        marker.setLatLng([lat, lng]);
      } else {
        marker = L.circleMarker([lat, lng], {
          radius: 9, color: "#ffffff", weight: 3, fillColor: "#a4161a", fillOpacity: 1
        }).addTo(map);
        marker.bindTooltip(textLabel(container.getAttribute("data-point-label") || ""));
      }
      if (clear) {
        clear.hidden = false;
      }
    }

    function pointFromFields() {
      var lat = parseFloat((latitude.value || "").replace(",", "."));
      var lng = parseFloat((longitude.value || "").replace(",", "."));
      if (isFinite(lat) && isFinite(lng)) {
        showPoint(lat, lng);
      }
    }

    function loadDistrict(code, fit) {
      if (!code || code === loadedDistrict) {
        return Promise.resolve();
      }
      var url = container.getAttribute("data-district-url").replace("0000.geojson", code + ".geojson");
      return getJSON(url).then(function (collection) {
        if (subdistricts) {
          map.removeLayer(subdistricts);
        }
        loadedDistrict = code;
        subdistricts = L.geoJSON(collection, {
          style: function () { return subdistrictStyle; },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(textLabel(nameOf(feature.properties)), { sticky: true });
            layer.on("click", function () { choose(feature.properties.code); });
          }
        }).addTo(map);
        if (districts) {
          districts.setStyle(quietDistrict);
        }
        if (fit && collection.features && collection.features.length) {
          map.fitBounds(subdistricts.getBounds(), { padding: [8, 8] });
        }
        highlight(select ? select.value : "");
        if (marker) {
          marker.bringToFront();
        }
      });
    }

    getJSON(container.getAttribute("data-province-url"))
      .then(function (collection) {
        if (!collection.features || !collection.features.length) {
          return;
        }
        container.hidden = false;
        if (help) {
          help.hidden = false;
        }
        map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false });
        map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
        var attribution = container.getAttribute("data-attribution");
        if (attribution) {
          map.attributionControl.addAttribution(attribution.replace(/</g, "&lt;"));
        }
        districts = L.geoJSON(collection, {
          style: function () { return districtStyle; },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(textLabel(nameOf(feature.properties)), { sticky: true });
            layer.on("click", function (event) {
              if (feature.properties.code !== loadedDistrict) {
                // The first tap on a district opens its subdistricts; it marks no point.
                L.DomEvent.stopPropagation(event);
                loadDistrict(feature.properties.code, true);
              }
            });
          }
        }).addTo(map);
        map.fitBounds(districts.getBounds(), { padding: [8, 8] });
        map.on("click", function (event) {
          latitude.value = event.latlng.lat.toFixed(6);
          longitude.value = event.latlng.lng.toFixed(6);
          showPoint(event.latlng.lat, event.latlng.lng);
        });
        pointFromFields();
        if (select && select.value) {
          loadDistrict(select.value.slice(0, 4), !marker);
        }
      })
      .catch(function () {
        // The latitude and longitude fields still work: nothing more to do.
        container.hidden = true;
      });

    if (select) {
      select.addEventListener("change", function () {
        if (map && select.value) {
          loadDistrict(select.value.slice(0, 4), true).then(function () {
            highlight(select.value);
          });
        }
      });
    }
    [latitude, longitude].forEach(function (input) {
      input.addEventListener("change", function () {
        if (map) {
          pointFromFields();
        }
      });
    });
    if (clear) {
      clear.addEventListener("click", function () {
        latitude.value = "";
        longitude.value = "";
        if (marker) {
          map.removeLayer(marker);
          marker = null;
        }
        clear.hidden = true;
      });
    }
  }

  focusProblems();
  var form = document.querySelector("[data-intake-form]");
  if (form) {
    toggleContact(form);
    toggleElsewhere(form);
    setupMap(form);
  }
})();
