// The kiosk's timers, as progressive enhancement (docs/web.md, "Kiosk").
//
// A shared tablet must never show one resident's half-filled answers to the
// next, so an untouched form is cleared. WCAG 2.2.1 (Timing Adjustable) asks
// that a person who is still there is warned and can ask for more time with a
// simple action, with at least 20 seconds to do it: after data-idle seconds
// without a touch or key this script shows a dialog with one button, and only
// when nobody answers it within data-grace seconds does the screen go to
// data-home (/k/<id>/reset), which clears the form on the server and shows the
// start. Every touch, and the button, tells the server the form is still
// in use (GET data-alive, at most every 10 seconds), so the server's own idle
// clearing never takes answers from someone who is still there.
// On the thank-you page (data-return) the screen goes back to the start after
// that many seconds; a button lets the next resident start at once.
// Without script, a <noscript> refresh does the same, later and without warning.
(function () {
  'use strict';
  var form = document.querySelector('meta[name="tryghed-kiosk"]');
  var thanks = document.querySelector('meta[name="tryghed-return"]');
  if (thanks) {
    var seconds = Number(thanks.getAttribute('data-seconds')) || 10;
    window.setTimeout(function () {
      window.location.replace(thanks.getAttribute('data-home'));
    }, seconds * 1000);
  }
  if (!form) return;
  var idle = (Number(form.getAttribute('data-idle')) || 300) * 1000;
  var grace = (Number(form.getAttribute('data-grace')) || 20) * 1000;
  var home = form.getAttribute('data-home');
  var alive = form.getAttribute('data-alive');
  var warnTimer = 0;
  var resetTimer = 0;
  var lastPing = Date.now();
  var dialog = null;

  function ping() {
    if (Date.now() - lastPing < 10000) return;
    lastPing = Date.now();
    if (window.fetch) window.fetch(alive, { credentials: 'same-origin', cache: 'no-store' }).catch(function () {});
  }

  function closeWarning() {
    if (dialog) {
      dialog.parentNode.removeChild(dialog);
      dialog = null;
    }
    window.clearTimeout(resetTimer);
  }

  function warn() {
    dialog = document.createElement('div');
    dialog.className = 'idle-warning';
    dialog.setAttribute('role', 'alertdialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'idle-warning-text');
    var text = document.createElement('p');
    text.id = 'idle-warning-text';
    text.textContent = form.getAttribute('data-warning');
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = form.getAttribute('data-more');
    button.addEventListener('click', function () {
      lastPing = 0;
      activity();
    });
    dialog.appendChild(text);
    dialog.appendChild(button);
    document.body.appendChild(dialog);
    button.focus();
    resetTimer = window.setTimeout(function () {
      window.location.replace(home);
    }, grace);
  }

  function activity() {
    closeWarning();
    window.clearTimeout(warnTimer);
    warnTimer = window.setTimeout(warn, idle);
    ping();
  }

  ['pointerdown', 'keydown', 'input', 'scroll'].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (dialog && dialog.contains(event.target)) return;  // the button decides
      if (!dialog) activity();
    }, { passive: true, capture: true });
  });
  activity();
})();
