// The voter's signature pad (民情日记): draw with a finger or a mouse on a
// canvas; on submit the drawing goes as a PNG data URL in the hidden field
// "signature". Without JavaScript the form offers a file upload instead.
(function () {
  "use strict";
  document.querySelectorAll(".sign-form").forEach(function (form) {
    var pad = form.querySelector(".sig-pad");
    var canvas = form.querySelector(".sig-canvas");
    var data = form.querySelector(".sig-data");
    if (!pad || !canvas || !canvas.getContext) { return; }
    pad.hidden = false;
    var file = form.querySelector(".sig-file");
    if (file) { file.hidden = true; }
    var ctx = canvas.getContext("2d");
    ctx.lineWidth = 4;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000";
    var drawing = false, drawn = false;
    function point(ev) {
      var r = canvas.getBoundingClientRect();
      return { x: (ev.clientX - r.left) * canvas.width / r.width, y: (ev.clientY - r.top) * canvas.height / r.height };
    }
    canvas.addEventListener("pointerdown", function (ev) {
      ev.preventDefault();
      drawing = true;
      canvas.setPointerCapture(ev.pointerId);
      var p = point(ev);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (!drawing) { return; }
      ev.preventDefault();
      var p = point(ev);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
    });
    function stop() { drawing = false; }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    form.querySelector(".sig-clear").addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
      data.value = "";
    });
    form.addEventListener("submit", function (ev) {
      if (drawn) {
        data.value = canvas.toDataURL("image/png");
      } else if (!file || !file.querySelector("input").files.length) {
        ev.preventDefault();
        alert("请选民先在框内签名。");
      }
    });
  });
})();
