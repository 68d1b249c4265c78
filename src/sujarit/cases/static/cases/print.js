// The referral letter's Print button (no inline scripts: the site's CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-letter");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
});
