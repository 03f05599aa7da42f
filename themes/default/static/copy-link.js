// Copy-link buttons beside the permanent link of each decision. The link
// works without this script; the button only saves copying it by hand. The
// labels come from the page (data-copy-* on the meeting), in its language.
(function () {
  'use strict';
  var meeting = document.querySelector('[data-copy-label]');
  if (!meeting || !document.querySelector) return;
  var labels = meeting.dataset;
  var status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  document.body.appendChild(status);

  function say(text) {
    // Empty first, so that the same message twice is announced twice.
    status.textContent = '';
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function fallbackCopy(text) {
    var field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.className = 'visually-hidden';
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(field);
    return ok ? Promise.resolve() : Promise.reject(new Error('copy'));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  var links = meeting.querySelectorAll('.decision .permalink a');
  Array.prototype.forEach.call(links, function (link) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-link';
    var visible = document.createElement('span');
    visible.textContent = labels.copyLabel;
    button.appendChild(visible);
    var context = link.querySelector('.visually-hidden');
    if (context) button.appendChild(context.cloneNode(true));
    button.addEventListener('click', function () {
      // link.href is the absolute address, whatever the page was opened as.
      copy(link.href).then(function () {
        visible.textContent = labels.copyDone;
        say(labels.copyDone + ': ' + link.href);
        window.setTimeout(function () { visible.textContent = labels.copyLabel; }, 3000);
      }, function () {
        say(labels.copyFailed);
      });
    });
    link.parentNode.appendChild(button);
  });
})();
