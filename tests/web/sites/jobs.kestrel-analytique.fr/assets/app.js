(function () {
  var base = "/api" + "/offres";
  function render(offres) {
    var root = document.getElementById("root");
    var html = "<h1>Nos offres d'emploi</h1><ul class='offres'>";
    offres.forEach(function (o) {
      html += "<li class='offre'><a href='/offres/" + o.ref + ".html'><h2>" + o.intitule + "</h2></a>" +
              "<span class='lieu'>" + o.ville + "</span></li>";
    });
    root.innerHTML = html + "</ul>";
  }
  fetch(base + "?lang=fr").then(function (r) { return r.json(); }).then(function (d) { render(d.resultats); });
})();
